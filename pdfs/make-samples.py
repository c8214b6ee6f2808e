#!/usr/bin/python3
"""Regenerate the sample PDFs in this folder from the texts in source/.

Each source/NAME.txt becomes NAME.pdf: A4 pages in the base-14 Courier font with WinAnsiEncoding,
written by `mutool create` (Debian package mupdf-tools). Usage: python3 pdfs/make-samples.py

Source format, one rule per line:
  - a line starting with "= " is a centered heading in Courier-Bold;
  - any other line is a paragraph, wrapped at 72 characters;
  - an empty line is vertical space;
  - a line holding only a form feed (U+000C) starts a new page.
Pages that overflow continue on a new page. Every page gets a footer with the page number.
The output is byte-for-byte the same on every run with the same mutool version.
"""

import pathlib
import subprocess
import sys
import tempfile
import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
FONT_SIZE = 11
LEADING = 14
# Courier glyphs are 600/1000 em wide, so 72 characters take 475 points of the 483 available.
CHARACTER_WIDTH = 0.6 * FONT_SIZE
WRAP_COLUMNS = 72
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = MARGIN + 2 * LEADING
LINES_PER_PAGE = (TOP - BOTTOM) // LEADING + 1
FOOTER_Y = MARGIN - 16
FOOTER_SIZE = 9


def pdf_string(text: str) -> str:
    """Return `text` as a PDF literal string in WinAnsiEncoding (cp1252), octal-escaping non-ASCII bytes."""
    try:
        encoded = text.encode("cp1252")
    except UnicodeEncodeError as error:
        sys.exit(f"make-samples: {text!r} has a character that WinAnsiEncoding lacks: {error}")
    parts = []
    for byte in encoded:
        if byte in b"()\\":
            parts.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            parts.append(chr(byte))
        else:
            parts.append(f"\\{byte:03o}")
    return "(" + "".join(parts) + ")"


def layout(source: str) -> list[list[tuple[bool, str]]]:
    """Split the source into pages of (is_heading, line) pairs, wrapping paragraphs and breaking full pages."""
    pages: list[list[tuple[bool, str]]] = [[]]
    # str.splitlines() would also split at the form feed, so only "\n" separates lines here.
    for raw_line in source.rstrip("\n").split("\n"):
        if raw_line == "\f":
            pages.append([])
            continue
        if raw_line.startswith("= "):
            lines = [(True, raw_line[2:])]
        elif raw_line.strip() == "":
            lines = [(False, "")]
        else:
            lines = [(False, wrapped) for wrapped in textwrap.wrap(raw_line, WRAP_COLUMNS)]
        for line in lines:
            if len(pages[-1]) == LINES_PER_PAGE:
                pages.append([])
            pages[-1].append(line)
    return pages


def content_stream(lines: list[tuple[bool, str]], footer: str) -> str:
    """Return a `mutool create` page description: resources as %% comments, then the content stream."""
    commands = [
        f"%%MediaBox 0 0 {PAGE_WIDTH} {PAGE_HEIGHT}",
        "%%Font F1 Courier",
        "%%Font F2 Courier-Bold",
        "BT",
    ]
    y = TOP
    for is_heading, line in lines:
        if line:
            x = (PAGE_WIDTH - len(line) * CHARACTER_WIDTH) / 2 if is_heading else MARGIN
            font = "F2" if is_heading else "F1"
            commands.append(f"/{font} {FONT_SIZE} Tf 1 0 0 1 {x:.2f} {y} Tm {pdf_string(line)} Tj")
        y -= LEADING
    footer_x = (PAGE_WIDTH - len(footer) * 0.6 * FOOTER_SIZE) / 2
    commands.append(f"/F1 {FOOTER_SIZE} Tf 1 0 0 1 {footer_x:.2f} {FOOTER_Y} Tm {pdf_string(footer)} Tj")
    commands.append("ET")
    return "\n".join(commands) + "\n"


def make_pdf(source_path: pathlib.Path, output_path: pathlib.Path) -> None:
    pages = layout(source_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        page_files = []
        for number, lines in enumerate(pages, start=1):
            page_file = pathlib.Path(folder) / f"page{number}.txt"
            page_file.write_text(content_stream(lines, f"Página {number} de {len(pages)}"), encoding="ascii")
            page_files.append(str(page_file))
        subprocess.run(["mutool", "create", "-o", str(output_path), *page_files], check=True)
    print(f"{output_path.name}: {len(pages)} pages, {output_path.stat().st_size} bytes")


def main() -> None:
    folder = pathlib.Path(__file__).resolve().parent
    for source_path in sorted((folder / "source").glob("*.txt")):
        make_pdf(source_path, folder / (source_path.stem + ".pdf"))


if __name__ == "__main__":
    main()
