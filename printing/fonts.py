"""The CJK font subset for PDFs, built at set-up time from Debian's Noto Serif CJK (fonts-noto-cjk).

A full Noto CJK face holds 65,535 glyphs in a 26 MB collection, which WeasyPrint loads and subsets on every
render. The subset keeps the GB 2312 characters, ASCII and CJK punctuation (about 7,700 glyphs); rarer
characters (堃, 喆, 赟 in names) fall back to the full Debian fonts, listed after it in the font stack.
Subsetting uses HarfBuzz (libharfbuzz-subset0, also used by WeasyPrint), which takes well under a second.

    python -m printing.fonts [FONT_DIR]     # default: instance/fonts
"""
from __future__ import annotations

import sys
from pathlib import Path

from cffi import FFI
from fontTools.ttLib import TTCollection

from config import INSTANCE_DIR

DEBIAN_FONTS = Path("/usr/share/fonts/opentype/noto")
SOURCE_FAMILY = "Noto Serif CJK SC"
WEIGHTS = ("Regular", "Bold")
SUBSET_FAMILY = "JYT Serif"
DEFAULT_FONT_DIR = INSTANCE_DIR / "fonts"

_ffi = FFI()
_ffi.cdef("""
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy(hb_blob_t *blob);
void hb_face_destroy(hb_face_t *face);
void hb_set_add_range(hb_set_t *set, uint32_t first, uint32_t last);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
""")


def subset_path(font_dir: Path, weight: str) -> Path:
    return Path(font_dir) / f"JYTSerif-{weight}.otf"


def subset_characters() -> list[int]:
    """GB 2312 (the 6,763 common hanzi and its symbols), printable ASCII, CJK and full-width punctuation."""
    codepoints = set(range(0x20, 0x7F)) | set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040))
    codepoints |= set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                codepoints.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(codepoints)


def _face_index(collection: Path, family: str) -> int:
    fonts = TTCollection(str(collection), lazy=True).fonts
    return next(i for i, font in enumerate(fonts) if font["name"].getDebugName(1) == family)


def _subset(source: Path, index: int, codepoints: list[int]) -> bytes:
    harfbuzz = _ffi.dlopen("libharfbuzz.so.0")
    subsetter = _ffi.dlopen("libharfbuzz-subset.so.0")
    blob = harfbuzz.hb_blob_create_from_file_or_fail(str(source).encode())
    if blob == _ffi.NULL:
        raise FileNotFoundError(source)
    face = harfbuzz.hb_face_create(blob, index)
    request = subsetter.hb_subset_input_create_or_fail()
    unicodes = subsetter.hb_subset_input_unicode_set(request)
    for codepoint in codepoints:
        harfbuzz.hb_set_add(unicodes, codepoint)
    result = subsetter.hb_subset_or_fail(face, request)
    try:
        if result == _ffi.NULL:
            raise RuntimeError(f"HarfBuzz could not subset {source}")
        out_blob = harfbuzz.hb_face_reference_blob(result)
        length = _ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(out_blob, length)
        content = bytes(_ffi.buffer(data, length[0]))
        harfbuzz.hb_blob_destroy(out_blob)
        return content
    finally:
        if result != _ffi.NULL:
            harfbuzz.hb_face_destroy(result)
        subsetter.hb_subset_input_destroy(request)
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


def build(font_dir: Path = DEFAULT_FONT_DIR, source_dir: Path = DEBIAN_FONTS) -> list[Path]:
    """Write the subset fonts (regular and bold) into font_dir; existing ones are kept."""
    font_dir = Path(font_dir)
    font_dir.mkdir(parents=True, exist_ok=True)
    built = []
    codepoints = subset_characters()
    for weight in WEIGHTS:
        target = subset_path(font_dir, weight)
        if not target.exists():
            source = Path(source_dir) / f"NotoSerifCJK-{weight}.ttc"
            content = _subset(source, _face_index(source, SOURCE_FAMILY), codepoints)
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(content)
            temporary.replace(target)
        built.append(target)
    return built


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FONT_DIR):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
