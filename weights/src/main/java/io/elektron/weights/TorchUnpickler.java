package io.elektron.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle virtual machine that understands exactly what {@code torch.save} writes into {@code data.pkl}
 * (pickle protocol 2 by default; the protocol 4/5 framing and memo opcodes are accepted too) and nothing more.
 *
 * <p>The supported opcodes build plain values (strings, ints, floats, booleans, None, tuples, lists, dicts), use the
 * memo, name globals from the {@link TorchGlobal} allow-list, call only those ({@code REDUCE}), and resolve storage
 * persistent ids. Any other opcode, and any global outside the allow-list, stops loading with a
 * {@link CheckpointFormatException} naming the opcode or global and its byte offset in {@code data.pkl}: no Python
 * semantics beyond these are emulated and no Java class is ever instantiated by name.
 *
 * <p>Result values: {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code null} (None),
 * {@link Tuple}, {@code ArrayList}, {@code LinkedHashMap}, {@link StorageRef}, {@link TensorRef}.
 */
final class TorchUnpickler {

    /** An immutable Python tuple (may hold None, unlike {@code List.of}). */
    record Tuple(List<Object> items) {
        static final Tuple EMPTY = new Tuple(List.of());

        Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /**
     * A persistent id {@code ('storage', storage_type, key, location, numel)}: the bytes of zip entry
     * {@code <archive>/data/<key>}, holding {@code numel} elements of {@code dtype}.
     */
    record StorageRef(String key, DType dtype, long numel, String location) {
    }

    /** A tensor view: {@code size} elements from {@code storageOffset} with {@code stride} (in elements). */
    record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {
    }

    private static final int MAX_PROTOCOL = 5;
    /** GLOBAL's module and name are newline-terminated; real ones are short, so a missing newline is caught early. */
    private static final int MAX_GLOBAL_LINE = 1024;

    private final Path file;
    private final String entryName;
    private final ByteBuffer pickle;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int opcodeOffset;

    private TorchUnpickler(Path file, String entryName, ByteBuffer pickle) {
        this.file = file;
        this.entryName = entryName;
        this.pickle = pickle.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Runs {@code pickle} and returns the object on the stack at STOP.
     *
     * @param entryName the zip entry, for error messages ({@code archive/data.pkl})
     */
    static Object load(Path file, String entryName, ByteBuffer pickle) throws CheckpointFormatException {
        return new TorchUnpickler(file, entryName, pickle).run();
    }

    private Object run() throws CheckpointFormatException {
        while (true) {
            if (!pickle.hasRemaining()) {
                opcodeOffset = pickle.position();
                throw reject("pickle ends without a STOP opcode (truncated?)");
            }
            opcodeOffset = pickle.position();
            int opcode = pickle.get() & 0xff;
            switch (opcode) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > MAX_PROTOCOL) {
                        throw reject("pickle protocol " + protocol + " is newer than the supported " + MAX_PROTOCOL);
                    }
                }
                case 0x95 -> { // FRAME: a length hint for buffered readers; the whole pickle is in memory already
                    long length = need(8).getLong();
                    if (length < 0 || length > pickle.remaining()) {
                        throw reject("FRAME of " + Long.toUnsignedString(length) + " bytes, only "
                                + pickle.remaining() + " left");
                    }
                }
                case '.' -> { // STOP
                    if (!marks.isEmpty() || stack.size() != 1) {
                        throw reject("STOP with " + stack.size() + " objects and " + marks.size()
                                + " open marks on the stack; expected exactly one object");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.push(stack.size()); // MARK
                case '}' -> stack.add(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> stack.add(new ArrayList<Object>()); // EMPTY_LIST
                case ')' -> stack.add(Tuple.EMPTY); // EMPTY_TUPLE
                case 't' -> stack.add(new Tuple(popToMark())); // TUPLE
                case 0x85 -> stack.add(new Tuple(popItems(1))); // TUPLE1
                case 0x86 -> stack.add(new Tuple(popItems(2))); // TUPLE2
                case 0x87 -> stack.add(new Tuple(popItems(3))); // TUPLE3
                case 'N' -> stack.add(null); // NONE
                case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                case 'J' -> stack.add((long) need(4).getInt()); // BININT: signed 32-bit
                case 'K' -> stack.add((long) u8()); // BININT1
                case 'M' -> stack.add((long) Short.toUnsignedInt(need(2).getShort())); // BININT2
                case 0x8a -> stack.add(long1()); // LONG1
                case 'G' -> stack.add(need(8).order(ByteOrder.BIG_ENDIAN).getDouble(0)); // BINFLOAT: big-endian
                case 'X' -> stack.add(utf8(Integer.toUnsignedLong(need(4).getInt()))); // BINUNICODE
                case 0x8c -> stack.add(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> stack.add(utf8(need(8).getLong())); // BINUNICODE8
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(Integer.toUnsignedLong(need(4).getInt()), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.add(memoGet(u8())); // BINGET
                case 'j' -> stack.add(memoGet(Integer.toUnsignedLong(need(4).getInt()))); // LONG_BINGET
                case 's' -> { // SETITEM
                    List<Object> pair = popItems(2);
                    putItem(dictOnTop("SETITEM"), pair.get(0), pair.get(1));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popToMark();
                    if (items.size() % 2 != 0) {
                        throw reject("SETITEMS with an odd number (" + items.size() + ") of keys and values");
                    }
                    Map<Object, Object> dict = dictOnTop("SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        putItem(dict, items.get(i), items.get(i + 1));
                    }
                }
                case 'a' -> { // APPEND
                    Object item = pop();
                    listOnTop("APPEND").add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    listOnTop("APPENDS").addAll(items);
                }
                case 'c' -> stack.add(allowedGlobal("GLOBAL", line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    List<Object> moduleAndName = popItems(2);
                    if (!(moduleAndName.get(0) instanceof String module) || !(moduleAndName.get(1) instanceof String name)) {
                        throw reject("STACK_GLOBAL needs two strings, found " + describe(moduleAndName.get(0)) + " and "
                                + describe(moduleAndName.get(1)));
                    }
                    stack.add(allowedGlobal("STACK_GLOBAL", module, name));
                }
                case 'R' -> { // REDUCE
                    List<Object> callableAndArgs = popItems(2);
                    stack.add(reduce(callableAndArgs.get(0), callableAndArgs.get(1)));
                }
                case 'Q' -> stack.add(persistentLoad(pop())); // BINPERSID
                case 'b' -> { // BUILD
                    Object state = pop();
                    Object target = peek();
                    // torch.load also drops these: OrderedDict state is the state dict's _metadata (module
                    // versions), and tensors carry no state in a state dict.
                    if (!(target instanceof Map) && !(target instanceof TensorRef)) {
                        throw reject("BUILD on " + describe(target) + "; only dicts and tensors may receive state ("
                                + describe(state) + ")");
                    }
                }
                default -> throw reject("unsupported pickle opcode " + PickleOpcodeNames.describe(opcode)
                        + "; torch.save state dicts never use it, so this file is corrupt or was not written by torch.save");
            }
        }
    }

    private Object allowedGlobal(String opcode, String module, String name) throws CheckpointFormatException {
        return TorchGlobal.find(module, name).orElseThrow(() -> reject(opcode + " '" + module + " " + name
                + "' (" + module + "." + name + ") is not on the allow-list " + TorchGlobal.allowedNames()
                + "; refusing to load: a pickle naming it could run arbitrary code"));
    }

    private Object reduce(Object callable, Object argsObject) throws CheckpointFormatException {
        if (!(callable instanceof TorchGlobal global) || global.isStorageType()) {
            throw reject("REDUCE on " + describe(callable) + "; only " + TorchGlobal.ORDERED_DICT.qualifiedName() + ", "
                    + TorchGlobal.REBUILD_TENSOR_V2.qualifiedName() + " and "
                    + TorchGlobal.REBUILD_PARAMETER.qualifiedName() + " may be called");
        }
        if (!(argsObject instanceof Tuple tuple)) {
            throw reject("REDUCE of " + global.qualifiedName() + " with " + describe(argsObject)
                    + " as arguments; expected a tuple");
        }
        List<Object> args = tuple.items();
        switch (global) {
            case ORDERED_DICT -> {
                if (!args.isEmpty()) {
                    throw reject(global.qualifiedName() + " called with " + args.size()
                            + " arguments; torch.save passes none (items follow via SETITEMS)");
                }
                return new LinkedHashMap<Object, Object>();
            }
            case REBUILD_PARAMETER -> {
                if (args.size() != 3 || !(args.get(0) instanceof TensorRef tensor)) {
                    throw reject(global.qualifiedName() + " expects (tensor, requires_grad, backward_hooks), found "
                            + describeArgs(args));
                }
                return tensor;
            }
            case REBUILD_TENSOR_V2 -> {
                return rebuildTensor(args);
            }
            default -> throw new AssertionError(global);
        }
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private TensorRef rebuildTensor(List<Object> args) throws CheckpointFormatException {
        String expected = "(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])";
        if (args.size() != 6 && args.size() != 7) {
            throw reject("_rebuild_tensor_v2 expects " + expected + ", found " + describeArgs(args));
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw reject("_rebuild_tensor_v2: argument 0 must be a storage (persistent id), found "
                    + describe(args.get(0)));
        }
        if (!(args.get(1) instanceof Long offset) || offset < 0) {
            throw reject("_rebuild_tensor_v2: storage_offset must be a non-negative int, found " + describe(args.get(1)));
        }
        long[] size = nonNegativeInts("size", args.get(2));
        long[] stride = nonNegativeInts("stride", args.get(3));
        if (size.length != stride.length) {
            throw reject("_rebuild_tensor_v2: size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                    + " differ in length");
        }
        if (!(args.get(4) instanceof Boolean)) {
            throw reject("_rebuild_tensor_v2: requires_grad must be a bool, found " + describe(args.get(4)));
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private long[] nonNegativeInts(String what, Object value) throws CheckpointFormatException {
        if (!(value instanceof Tuple tuple)) {
            throw reject("_rebuild_tensor_v2: " + what + " must be a tuple of ints, found " + describe(value));
        }
        long[] result = new long[tuple.items().size()];
        for (int i = 0; i < result.length; i++) {
            if (!(tuple.items().get(i) instanceof Long element) || element < 0) {
                throw reject("_rebuild_tensor_v2: " + what + "[" + i + "] must be a non-negative int, found "
                        + describe(tuple.items().get(i)));
            }
            result[i] = element;
        }
        return result;
    }

    /** BINPERSID: torch.save's persistent ids are {@code ('storage', storage_type, key, location, numel)}. */
    private StorageRef persistentLoad(Object pid) throws CheckpointFormatException {
        String expected = "('storage', <storage class>, key, location, numel)";
        if (!(pid instanceof Tuple tuple) || tuple.items().size() != 5) {
            throw reject("persistent id must be " + expected + ", found " + describe(pid));
        }
        List<Object> items = tuple.items();
        if (!"storage".equals(items.get(0))) {
            throw reject("persistent id of kind " + describe(items.get(0)) + "; only 'storage' is supported");
        }
        if (!(items.get(1) instanceof TorchGlobal type) || !type.isStorageType()) {
            throw reject("persistent id: " + describe(items.get(1)) + " is not a storage class (" + expected + ")");
        }
        if (!(items.get(2) instanceof String key) || !(items.get(3) instanceof String location)) {
            throw reject("persistent id: key and location must be strings, found " + describe(items.get(2)) + " and "
                    + describe(items.get(3)));
        }
        if (!(items.get(4) instanceof Long numel) || numel < 0) {
            throw reject("persistent id for storage '" + key + "': numel must be a non-negative int, found "
                    + describe(items.get(4)));
        }
        return new StorageRef(key, type.storageDType(), numel, location);
    }

    private void putItem(Map<Object, Object> dict, Object key, Object value) throws CheckpointFormatException {
        // Only scalar keys: a tuple or list key could be self-referential through the memo, and hashing it would
        // recurse forever. State dicts and their _metadata use string keys.
        if (key != null && !(key instanceof String) && !(key instanceof Long) && !(key instanceof Boolean)) {
            throw reject("dict key of type " + describe(key) + "; only strings, ints, bools and None are supported");
        }
        dict.put(key, value);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop(String opcode) throws CheckpointFormatException {
        Object top = peek();
        if (!(top instanceof Map)) {
            throw reject(opcode + " on " + describe(top) + ", expected a dict");
        }
        return (Map<Object, Object>) top;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop(String opcode) throws CheckpointFormatException {
        Object top = peek();
        if (!(top instanceof ArrayList)) {
            throw reject(opcode + " on " + describe(top) + ", expected a list");
        }
        return (List<Object>) top;
    }

    private Object memoGet(long index) throws CheckpointFormatException {
        if (!memo.containsKey(index)) {
            throw reject("memo entry " + index + " read before it was written");
        }
        return memo.get(index);
    }

    /** The stack height below which the current opcode may not pop (the innermost MARK). */
    private int fence() {
        return marks.isEmpty() ? 0 : marks.peek();
    }

    private Object peek() throws CheckpointFormatException {
        if (stack.size() <= fence()) {
            throw reject("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws CheckpointFormatException {
        peek();
        return stack.remove(stack.size() - 1);
    }

    /** Pops the top {@code count} items, returned bottom first. */
    private List<Object> popItems(int count) throws CheckpointFormatException {
        if (stack.size() - fence() < count) {
            throw reject("stack underflow: needs " + count + " objects, " + (stack.size() - fence()) + " available");
        }
        List<Object> top = stack.subList(stack.size() - count, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> popToMark() throws CheckpointFormatException {
        if (marks.isEmpty()) {
            throw reject("no MARK to pop to");
        }
        int mark = marks.pop();
        List<Object> above = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(above);
        above.clear();
        return items;
    }

    private int u8() throws CheckpointFormatException {
        return need(1).get() & 0xff;
    }

    /** LONG1: a little-endian two's-complement integer of up to 8 bytes (larger ones never occur in torch.save). */
    private long long1() throws CheckpointFormatException {
        int length = u8();
        if (length > 8) {
            throw reject("LONG1 of " + length + " bytes does not fit a 64-bit integer");
        }
        ByteBuffer bytes = need(length);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (bytes.get() & 0xffL) << (8 * i);
        }
        if (length > 0 && length < 8) {
            int unusedBits = 64 - 8 * length;
            value = (value << unusedBits) >> unusedBits; // sign-extend
        }
        return value;
    }

    private String utf8(long length) throws CheckpointFormatException {
        if (length < 0 || length > pickle.remaining()) {
            throw reject("string of " + Long.toUnsignedString(length) + " bytes, only " + pickle.remaining() + " left");
        }
        ByteBuffer bytes = need((int) length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw reject("string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII line (GLOBAL's operands). */
    private String line() throws CheckpointFormatException {
        int start = pickle.position();
        int limit = Math.min(pickle.limit(), start + MAX_GLOBAL_LINE);
        for (int at = start; at < limit; at++) {
            if (pickle.get(at) == '\n') {
                byte[] bytes = new byte[at - start];
                pickle.get(bytes);
                pickle.get(); // the newline
                return new String(bytes, StandardCharsets.US_ASCII);
            }
        }
        throw reject("GLOBAL operand without a newline in the next " + (limit - start) + " bytes");
    }

    /** Consumes {@code count} bytes, returned as a little-endian view. */
    private ByteBuffer need(int count) throws CheckpointFormatException {
        if (count > pickle.remaining()) {
            throw reject("operand of " + count + " bytes, only " + pickle.remaining() + " left (truncated pickle)");
        }
        ByteBuffer bytes = pickle.slice(pickle.position(), count).order(ByteOrder.LITTLE_ENDIAN);
        pickle.position(pickle.position() + count);
        return bytes;
    }

    private CheckpointFormatException reject(String detail) {
        return new CheckpointFormatException(file, entryName + " at byte offset " + opcodeOffset + ": " + detail);
    }

    /** A type name for messages; values themselves are never printed (they may be huge or cyclic). */
    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return s.length() <= 64 ? "'" + s + "'" : "a " + s.length() + "-character string";
        }
        if (value instanceof Long || value instanceof Boolean || value instanceof Double) {
            return value.toString();
        }
        if (value instanceof TorchGlobal global) {
            return global.qualifiedName();
        }
        if (value instanceof Tuple tuple) {
            return "a tuple of " + tuple.items().size();
        }
        if (value instanceof List<?> list) {
            return "a list of " + list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return "a dict of " + map.size();
        }
        if (value instanceof StorageRef storage) {
            return "storage '" + storage.key() + "'";
        }
        if (value instanceof TensorRef) {
            return "a tensor";
        }
        return value.getClass().getSimpleName();
    }

    private static String describeArgs(List<Object> args) {
        List<String> described = new ArrayList<>();
        for (Object arg : args) {
            described.add(describe(arg));
        }
        return args.size() + " arguments " + described;
    }
}
