#!/usr/bin/env python3
"""Prints the upper halves (bytes 0x80-0xFF) of the Kazakh single-byte encodings, KZ-1048 and
PT154, from Python's standard codecs (kz1048, ptcp154), as the Rust arrays of
src/stage/decode/kazakh.rs. A byte a codec leaves undefined becomes U+FFFD.
tests/encodings.rs compares the arrays with the codecs again."""

for name, codec in (("KZ_1048_HIGH", "kz1048"), ("PT154_HIGH", "ptcp154")):
    points = []
    for byte in range(0x80, 0x100):
        try:
            points.append(ord(bytes([byte]).decode(codec)))
        except UnicodeDecodeError:
            points.append(0xFFFD)
    print(f"const {name}: [u16; 128] = [")
    for row in range(0, 128, 8):
        print("    " + " ".join(f"0x{p:04X}," for p in points[row:row + 8]))
    print("];")
