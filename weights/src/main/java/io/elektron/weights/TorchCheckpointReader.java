package io.elektron.weights;

import io.elektron.weights.TorchUnpickler.StorageRef;
import io.elektron.weights.TorchUnpickler.TensorRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PyTorch checkpoints written by {@code torch.save} (since PyTorch 1.6), such as HF's {@code pytorch_model.bin},
 * without running Python and without trusting the file.
 *
 * <p>Such a file is an uncompressed zip archive with one top-level folder {@code <archive>/} holding
 * {@code data.pkl} (the pickled state dict), {@code data/<key>} (the raw bytes of each storage), and optionally
 * {@code byteorder} and {@code version}. {@code data.pkl} is interpreted by {@link TorchUnpickler}, a restricted pickle
 * machine with an allow-list of globals; each tensor becomes a zero-copy view of its storage entry (shared storages,
 * such as tied weights, give views of the same bytes). A non-contiguous tensor is gathered into a fresh contiguous
 * heap buffer; one with more elements than its storage (stride 0, overlapping strides) is refused.
 *
 * <p>Validated before {@code open} returns: the zip structure, every entry's CRC-32, that the top-level object is a
 * dict of string keys to tensors, that each storage entry exists and is at least as large as its persistent id
 * declares, that every tensor's elements lie inside its storage (overflow-checked), and that all references to one
 * storage agree on its type and size. Legacy (pre-1.6, non-zip) files and big-endian archives are refused.
 */
public final class TorchCheckpointReader {
    private static final String PICKLE_NAME = "data.pkl";

    private TorchCheckpointReader() {
    }

    /**
     * Maps, validates and unpickles {@code file}.
     *
     * @throws CheckpointFormatException if it is not a well-formed torch.save archive of a flat state dict, or its
     *                                   pickle uses an opcode or global outside the allow-list
     * @throws IOException               if it cannot be read
     */
    public static Checkpoint open(Path file) throws IOException {
        MappedFile mapped = MappedFile.open(file);
        try {
            return read(mapped);
        } catch (IOException | RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static Checkpoint read(MappedFile mapped) throws IOException {
        Path file = mapped.path();
        if (mapped.size() > 0 && (mapped.slice(0, 1, "first byte").get(0) & 0xff) == 0x80) {
            throw new CheckpointFormatException(file, "legacy torch.save format (a bare pickle, PyTorch < 1.6) is not"
                    + " supported; re-save it with a current PyTorch or convert it to safetensors");
        }
        ZipArchive zip = ZipArchive.read(mapped);
        String archive = archiveFolder(file, zip);
        checkByteOrder(file, zip, archive);

        String pickleName = archive + "/" + PICKLE_NAME;
        ByteBuffer pickle = zip.read(zip.entry(pickleName).orElseThrow());
        Object root = TorchUnpickler.load(file, pickleName, pickle);
        if (!(root instanceof Map<?, ?> stateDict)) {
            throw new CheckpointFormatException(file, pickleName + ": the pickled object is not a dict (state dict); found "
                    + (root == null ? "None" : root.getClass().getSimpleName()));
        }

        Map<String, ByteBuffer> storageBytes = new HashMap<>();
        Map<String, StorageRef> storageDeclarations = new HashMap<>();
        LinkedHashMap<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> item : stateDict.entrySet()) {
            if (!(item.getKey() instanceof String key)) {
                throw new CheckpointFormatException(file, pickleName + ": state dict key " + item.getKey()
                        + " is not a string");
            }
            if (!(item.getValue() instanceof TensorRef tensor)) {
                throw new CheckpointFormatException(file, "state dict entry '" + key + "' is not a tensor (found "
                        + (item.getValue() == null ? "None" : item.getValue().getClass().getSimpleName())
                        + "); only flat state dicts of tensors are supported");
            }
            StorageRef storage = tensor.storage();
            StorageRef earlier = storageDeclarations.putIfAbsent(storage.key(), storage);
            if (earlier != null && (earlier.dtype() != storage.dtype() || earlier.numel() != storage.numel())) {
                throw new CheckpointFormatException(file, "tensor '" + key + "': storage '" + storage.key() + "' declared as "
                        + storage.numel() + " x " + storage.dtype() + ", but earlier as " + earlier.numel() + " x "
                        + earlier.dtype());
            }
            ByteBuffer bytes = storageBytes.get(storage.key());
            if (bytes == null) {
                bytes = storageBytes(file, zip, archive, key, storage);
                storageBytes.put(storage.key(), bytes);
            }
            tensors.put(key, new StoredTensor(key, storage.dtype(), tensor.size(), tensorBytes(file, key, tensor, bytes)));
        }
        return new MappedCheckpoint(mapped, tensors, Map.of());
    }

    /** The single top-level folder holding data.pkl (torch names it after the file, e.g. {@code pytorch_model}). */
    private static String archiveFolder(Path file, ZipArchive zip) throws CheckpointFormatException {
        List<String> folders = zip.entries().stream()
                .map(ZipArchive.Entry::name)
                .filter(name -> name.endsWith("/" + PICKLE_NAME) && name.indexOf('/') == name.length() - PICKLE_NAME.length() - 1)
                .map(name -> name.substring(0, name.length() - PICKLE_NAME.length() - 1))
                .toList();
        if (folders.isEmpty()) {
            throw new CheckpointFormatException(file, "missing data.pkl: no '<archive>/data.pkl' entry among "
                    + zip.entries().size() + " zip entries; not a torch.save archive");
        }
        if (folders.size() > 1) {
            throw new CheckpointFormatException(file, "ambiguous torch.save archive: data.pkl in several folders " + folders);
        }
        return folders.get(0);
    }

    private static void checkByteOrder(Path file, ZipArchive zip, String archive) throws IOException {
        var entry = zip.entry(archive + "/byteorder");
        if (entry.isEmpty()) {
            return; // written since PyTorch 1.12 only; older archives come from little-endian machines
        }
        if (entry.get().size() > 16) {
            throw new CheckpointFormatException(file, archive + "/byteorder: expected 'little', found "
                    + entry.get().size() + " bytes");
        }
        ByteBuffer bytes = zip.read(entry.get());
        byte[] text = new byte[bytes.remaining()];
        bytes.get(text);
        String order = new String(text, StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
            throw new CheckpointFormatException(file, archive + "/byteorder: expected 'little', found '" + order
                    + "'; big-endian archives are not supported");
        }
    }

    private static ByteBuffer storageBytes(Path file, ZipArchive zip, String archive, String tensorKey, StorageRef storage)
            throws IOException {
        String entryName = archive + "/data/" + storage.key();
        ZipArchive.Entry entry = zip.entry(entryName).orElseThrow(() -> new CheckpointFormatException(file,
                "tensor '" + tensorKey + "': storage entry '" + entryName + "' is missing from the archive"));
        long declaredBytes;
        try {
            declaredBytes = Math.multiplyExact(storage.numel(), storage.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, "tensor '" + tensorKey + "': storage '" + storage.key() + "' numel "
                    + storage.numel() + " overflows a byte count");
        }
        if (entry.size() < declaredBytes) {
            throw new CheckpointFormatException(file, "tensor '" + tensorKey + "': storage entry '" + entryName + "' has "
                    + entry.size() + " bytes, but the pickle declares " + storage.numel() + " x " + storage.dtype()
                    + " = " + declaredBytes + " bytes");
        }
        return zip.read(entry).slice(0, (int) declaredBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The tensor's bytes: a view of the storage if contiguous, otherwise a gathered copy. */
    private static ByteBuffer tensorBytes(Path file, String key, TensorRef tensor, ByteBuffer storage)
            throws CheckpointFormatException {
        long[] size = tensor.size();
        long[] stride = tensor.stride();
        long storageNumel = tensor.storage().numel();
        int elementSize = tensor.storage().dtype().byteSize();
        String where = "tensor '" + key + "' (size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                + ", storage offset " + tensor.storageOffset() + ", storage '" + tensor.storage().key() + "' of "
                + storageNumel + " elements)";
        long numel;
        long lastElement = tensor.storageOffset(); // index of the furthest element the view reaches
        try {
            numel = StoredTensor.numelOf(size);
            for (int d = 0; d < size.length; d++) {
                if (size[d] > 0) {
                    lastElement = Math.addExact(lastElement, Math.multiplyExact(size[d] - 1, stride[d]));
                }
            }
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, where + ": extent overflows 64-bit arithmetic");
        }
        if (numel == 0) {
            return ByteBuffer.allocate(0);
        }
        if (lastElement >= storageNumel) {
            throw new CheckpointFormatException(file, where + ": reaches element " + lastElement
                    + ", past the end of its storage");
        }
        if (isContiguous(size, stride)) {
            return storage.slice((int) (tensor.storageOffset() * elementSize), (int) (numel * elementSize))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        // A view with more elements than its storage reads some twice (stride 0, as expand() makes, or overlapping
        // strides). Gathering it would let a few bytes of pickle demand gigabytes of heap; such views are rare in state
        // dicts (safetensors cannot store them at all). Refusing them also bounds numel * elementSize by the storage's
        // overflow-checked byte count.
        if (numel > storageNumel) {
            throw new CheckpointFormatException(file, where + ": a non-contiguous view of " + numel
                    + " elements repeats elements of its storage; only views within the storage are supported"
                    + " (save tensor.contiguous() instead)");
        }
        if (numel * elementSize > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, where + ": non-contiguous and over 2 GiB, cannot be gathered");
        }
        return gather(storage, tensor.storageOffset(), size, stride, elementSize, (int) numel);
    }

    /** Row-major contiguity as torch defines it: sizes of 1 may have any stride. */
    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d]; // cannot overflow: numel was computed with overflow checks
        }
        return true;
    }

    /** Copies a strided view into row-major order (e.g. a tensor saved as a transpose). */
    private static ByteBuffer gather(ByteBuffer storage, long offset, long[] size, long[] stride, int elementSize,
                                     int numel) {
        ByteBuffer out = ByteBuffer.allocate(numel * elementSize).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[size.length];
        byte[] element = new byte[elementSize];
        for (int n = 0; n < numel; n++) {
            long source = offset;
            for (int d = 0; d < size.length; d++) {
                source += index[d] * stride[d];
            }
            storage.get((int) (source * elementSize), element);
            out.put(element);
            for (int d = size.length - 1; d >= 0; d--) { // odometer increment, last dimension fastest
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out.flip();
    }
}
