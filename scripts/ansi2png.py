#!/usr/bin/env python3
"""Renders a tmux capture (`capture-pane -e -p`, ANSI colours) to a PNG, cell by cell.

    ansi2png.py CAPTURE.txt OUT.png
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
PALETTE = ["#1d1f21", "#cc6666", "#b5bd68", "#f0c674", "#81a2be", "#b294bb", "#8abeb7", "#c5c8c6",
           "#666666", "#d54e53", "#b9ca4a", "#e7c547", "#7aa6da", "#c397d8", "#70c0b1", "#eaeaea"]
DEFAULT_FG, DEFAULT_BG = "#d8dee9", "#1d1f21"


def cells(text):
    """Yields rows of (char, fg, bg, bold, underline, reverse, dim)."""
    fg, bg, bold, underline, reverse, dim = None, None, False, False, False, False
    for line in text.split("\n"):
        row = []
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, underline, reverse, dim = None, None, False, False, False, False
                    elif c == 1: bold = True
                    elif c == 2: dim = True
                    elif c == 4: underline = True
                    elif c == 7: reverse = True
                    elif c == 22: bold = dim = False
                    elif c == 24: underline = False
                    elif c == 27: reverse = False
                    elif 30 <= c <= 37: fg = PALETTE[c - 30]
                    elif c == 39: fg = None
                    elif 40 <= c <= 47: bg = PALETTE[c - 40]
                    elif c == 49: bg = None
                    elif 90 <= c <= 97: fg = PALETTE[c - 90 + 8]
                    elif 100 <= c <= 107: bg = PALETTE[c - 100 + 8]
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        n = codes[i + 2]
                        colour = PALETTE[n] if n < 16 else "#888888"
                        if c == 38: fg = colour
                        else: bg = colour
                        i += 2
                    i += 1
            else:
                for ch in token:
                    row.append((ch, fg, bg, bold, underline, reverse, dim))
        yield row


def render(text, out):
    rows = list(cells(text.rstrip("\n")))
    font, bold_font = ImageFont.truetype(FONT, 16), ImageFont.truetype(BOLD, 16)
    cw, ch = 10, 20
    width = max(len(r) for r in rows) if rows else 1
    image = Image.new("RGB", (width * cw + 16, len(rows) * ch + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (c, fg, bg, bold, underline, reverse, dim) in enumerate(row):
            f, b = fg or DEFAULT_FG, bg or DEFAULT_BG
            if reverse: f, b = b, f
            if dim and not reverse: f = "#7f848e"
            px, py = 8 + x * cw, 8 + y * ch
            if b != DEFAULT_BG: draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=b)
            if c != " ": draw.text((px, py), c, font=bold_font if bold else font, fill=f)
            if underline: draw.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=f)
    image.save(out)


if __name__ == "__main__":
    render(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2])
