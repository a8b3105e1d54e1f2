#!/usr/bin/env python3
"""Writes synthetic torch.save-style archives with CPython's own pickler, without PyTorch.

Why: the fixtures' pytorch_model.bin files exercise protocol 2 as torch 1.13 wrote it; these add protocols 4 and 5
(FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL), every storage dtype, shared storages with offsets, a transposed
(non-contiguous) view, an nn.Parameter, a 0-d and an empty tensor, and an OrderedDict state dict with _metadata
(BUILD) holding BININT, LONG1 and BINFLOAT values.

How: stand-in modules named `torch` and `torch._utils` provide objects whose pickled form matches torch.save's
(format facts: _rebuild_tensor_v2 arguments, persistent ids ('storage', <storage class>, key, 'cpu', numel), zip
layout <archive>/data.pkl, <archive>/data/<key>, <archive>/byteorder, <archive>/version). Nothing from PyTorch's
source is used. Run from this directory: `python3 make_synthetic_archives.py` (output is deterministic).
Expected values are spelled out in TorchCheckpointReaderTest.
"""
import collections
import pickle
import struct
import sys
import types
import zipfile

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _rebuild_tensor_v2(*args):
    raise NotImplementedError


def _rebuild_parameter(*args):
    raise NotImplementedError


for function in (_rebuild_tensor_v2, _rebuild_parameter):
    function.__module__ = "torch._utils"
    setattr(torch_utils, function.__name__, function)

STORAGE_CLASSES = {}
for name in ("FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage", "DoubleStorage",
             "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"):
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)
    STORAGE_CLASSES[name] = cls


class Storage:
    def __init__(self, key, class_name, numel, data):
        self.key, self.cls, self.numel, self.data = key, STORAGE_CLASSES[class_name], numel, data


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2,
                (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.tensor, True, collections.OrderedDict()))


class TorchStylePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


def state_dict():
    matrix = Storage("0", "FloatStorage", 6, floats(1, 2, 3, 4, 5, 6))
    halves = Storage("1", "HalfStorage", 6, struct.pack("<6H", 0x3C00, 0xC000, 0x0001, 0x7C00, 0xFC00, 0x7E00))
    bfloats = Storage("2", "BFloat16Storage", 4, struct.pack("<4H", 0x3F80, 0xC000, 0x0001, 0xFF80))
    ids = Storage("3", "LongStorage", 4, struct.pack("<4q", 0, 1, -2, 1 << 40))
    scalar = Storage("4", "IntStorage", 1, struct.pack("<i", -7))
    doubles = Storage("5", "DoubleStorage", 2, struct.pack("<2d", 0.1, -3.5))
    shorts = Storage("6", "ShortStorage", 2, struct.pack("<2h", -300, 300))
    chars = Storage("7", "CharStorage", 2, struct.pack("<2b", -5, 5))
    bytes_ = Storage("8", "ByteStorage", 2, bytes([0, 255]))
    bools = Storage("9", "BoolStorage", 3, bytes([1, 0, 1]))
    bias = Storage("10", "FloatStorage", 2, floats(0.5, -0.25))
    empty = Storage("11", "FloatStorage", 0, b"")

    sd = collections.OrderedDict()
    sd["f32.matrix"] = Tensor(matrix, 0, (2, 3), (3, 1))
    sd["f32.transposed"] = Tensor(matrix, 0, (3, 2), (1, 3))  # a .t() view of the same storage
    sd["f32.row1"] = Tensor(matrix, 3, (3,), (1,))  # second row: shared storage with an offset
    sd["f16.values"] = Tensor(halves, 0, (6,), (1,))
    sd["bf16.values"] = Tensor(bfloats, 0, (2, 2), (2, 1))
    sd["i64.ids"] = Tensor(ids, 0, (1, 4), (4, 1))
    sd["i32.scalar"] = Tensor(scalar, 0, (), ())
    sd["f64.values"] = Tensor(doubles, 0, (2,), (1,))
    sd["i16.values"] = Tensor(shorts, 0, (2,), (1,))
    sd["i8.values"] = Tensor(chars, 0, (2,), (1,))
    sd["u8.values"] = Tensor(bytes_, 0, (2,), (1,))
    sd["bool.values"] = Tensor(bools, 0, (3,), (1,))
    sd["param.bias"] = Parameter(Tensor(bias, 0, (2,), (1,)))
    sd["f32.empty"] = Tensor(empty, 0, (0, 4), (4, 1))
    # What nn.Module.state_dict() attaches; pickled as OrderedDict state and applied with BUILD.
    sd._metadata = collections.OrderedDict(
        [("", {"version": 1}), ("big", {"version": 70000, "huge": 1 << 40, "negative": -1, "ratio": 0.5})])
    storages = [matrix, halves, bfloats, ids, scalar, doubles, shorts, chars, bytes_, bools, bias, empty]
    return sd, storages


def write_archive(path, protocol):
    sd, storages = state_dict()
    import io
    buffer = io.BytesIO()
    TorchStylePickler(buffer, protocol=protocol).dump(sd)
    archive = path[:-len(".bin")]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        def add(name, data):
            info = zipfile.ZipInfo(archive + "/" + name, date_time=(2020, 1, 1, 0, 0, 0))
            zf.writestr(info, data)
        add("data.pkl", buffer.getvalue())
        add("byteorder", b"little")
        for storage in storages:
            add("data/" + storage.key, storage.data)
        add("version", b"3\n")


for protocol in (2, 4, 5):
    write_archive("synthetic_protocol%d.bin" % protocol, protocol)
