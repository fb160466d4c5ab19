#!/usr/bin/env python3
"""Writes the hostile and odd-but-valid images in this folder and the
digests in tests/hostile/ that show them (img-*.xml). Not run by the
tests: the files are committed; run it again only to change them.
PNGs are written byte by byte (zlib, struct), JPEG headers too; the three
real JPEGs (photo*.jpg) were made once with an image tool."""
import os
import struct
import zlib

here = os.path.dirname(os.path.abspath(__file__))


def chunk(kind, data):
    c = kind + data
    return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xFFFFFFFF)


def raw_rows(rows, bpp=1, sub=False):
    if not sub:
        return b''.join(b'\0' + r for r in rows)
    # filter type 1 (Sub): each byte less the byte one pixel to its left
    return b''.join(b'\1' + bytes((r[i] - (r[i - bpp] if i >= bpp else 0)) & 255 for i in range(len(r)))
                    for r in rows)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(w, h, depth, ctype, pixel, interlace=False, extra=b'', plte=b'', trns=b'', sub=False):
    """pixel(x, y) -> list of samples at depth (bit depths >= 8 only)."""
    bps = depth // 8

    def row(xs, y):
        out = b''
        for x in xs:
            for v in pixel(x, y):
                out += v.to_bytes(bps, 'big')
        return out
    if interlace:
        data = b''
        for x0, y0, dx, dy in ADAM7:
            xs = list(range(x0, w, dx))
            if not xs:
                continue
            data += raw_rows([row(xs, y) for y in range(y0, h, dy)])
    else:
        data = raw_rows([row(range(w), y) for y in range(h)], len(pixel(0, 0)) * bps, sub)
    ihdr = struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, 1 if interlace else 0)
    out = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra
    if plte:
        out += chunk(b'PLTE', plte)
    if trns:
        out += chunk(b'tRNS', trns)
    return out + chunk(b'IDAT', zlib.compress(data, 9)) + chunk(b'IEND', b'')


def save(name, data):
    with open(os.path.join(here, name), 'wb') as f:
        f.write(data)


# red | blue halves: a 16-bit image read as 8 shows stripes at half height
def red_blue(m):
    return lambda x, y: [m, 0, 0] if x < 32 else [0, 0, m]


def gradient(x, y):
    return [x * 4 % 256, y * 4 % 256, 128]


files = {}
files['plain.png'] = png(64, 48, 8, 2, gradient)
# 800 × 600 RGBA gradient: a few KB of PNG, a few KB of PDF
files['gradient-rgba.png'] = png(800, 600, 8, 6, lambda x, y: [x * 255 // 799, y * 255 // 599, 128, x * 255 // 799], sub=True)
files['trns-rgb8.png'] = png(64, 48, 8, 2, lambda x, y: [255, 0, 0] if (x // 8 + y // 8) % 2 else [0, 128, 0],
                             trns=struct.pack('>HHH', 0, 128, 0))
files['trns-rgb16.png'] = png(64, 48, 16, 2, lambda x, y: [65535, 0, 0] if (x // 8 + y // 8) % 2 else [0, 32896, 0],
                              trns=struct.pack('>HHH', 0, 32896, 0))
files['trns-gray16.png'] = png(64, 48, 16, 0, lambda x, y: [x * 1000], trns=struct.pack('>H', 0))
files['interlaced-rgba.png'] = png(64, 48, 8, 6, lambda x, y: gradient(x, y) + [x * 4], interlace=True)
files['interlaced-rgba16.png'] = png(64, 48, 16, 6, lambda x, y: [65535, 0, 0, y * 1365], interlace=True)
files['interlaced-palette-trns.png'] = png(
    64, 48, 8, 3, lambda x, y: [(x // 16 + y // 16) % 4], interlace=True,
    plte=bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0]), trns=bytes([0, 128, 255]))
files['rgb16-red-blue.png'] = png(64, 48, 16, 2, red_blue(65535))
files['gamma-zero.png'] = png(64, 48, 8, 2, gradient, extra=chunk(b'gAMA', b'\0\0\0\0'))
phys = chunk(b'pHYs', struct.pack('>IIB', 2835, 2835, 1))
files['phys-twice.png'] = png(64, 48, 8, 2, gradient, extra=phys + phys)
files['iccp-bad.png'] = png(64, 48, 8, 2, gradient, extra=chunk(b'iCCP', b'icc\0\0not a zlib stream'))

good = png(64, 48, 8, 6, lambda x, y: gradient(x, y) + [255 - x])
at = good.index(b'IDAT') - 4
n = struct.unpack('>I', good[at:at + 4])[0]
bad = bytearray(good)
bad[at + 8 + n // 2] ^= 0x40  # data changed, CRC not: a bad CRC
files['idat-crc.png'] = bytes(bad)
files['idat-truncated.png'] = good[:at + 8 + n // 2]
# data that is not zlib, under a correct CRC
body = b'IDAT' + b'\x78\x9c' + b'\xff' * (n - 2)
files['idat-corrupt.png'] = good[:at] + struct.pack('>I', n) + body + \
    struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF) + chunk(b'IEND', b'')
files['huge-30000.png'] = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 30000, 30000, 8, 2, 0, 0, 0)) + \
    chunk(b'IDAT', zlib.compress(b'\0' * 90001))
files['rgba16-6324.png'] = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 6324, 6324, 16, 6, 0, 0, 0)) + \
    chunk(b'IDAT', zlib.compress(b'\0' * 50593))


def jpeg(sof, precision=8, ncomp=3):
    comps = b''.join(bytes([c + 1, 0x11, 0]) for c in range(ncomp))
    frame = bytes([precision]) + struct.pack('>HH', 32, 48) + bytes([ncomp]) + comps
    return (b'\xff\xd8' + b'\xff' + bytes([sof]) + struct.pack('>H', len(frame) + 2) + frame +
            b'\xff\xc4\x00\x02' + b'\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00' + b'\x12\x34\xff\xd9')


files['sof3.jpg'] = jpeg(0xC3)
files['sof5.jpg'] = jpeg(0xC5)
files['sof15.jpg'] = jpeg(0xCF)
files['sof10.jpg'] = jpeg(0xCA)
files['sof1-12bit.jpg'] = jpeg(0xC1, 12)
files['two-components.jpg'] = jpeg(0xC0, 8, 2)
files['huge-30000.jpg'] = jpeg(0xC0)[:7] + struct.pack('>HH', 30000, 30000) + jpeg(0xC0)[11:]

for name, data in files.items():
    save(name, data)

# one digest per image, the figure on line 6
for name in sorted(files) + ['photo.jpg', 'photo-progressive.jpg', 'photo-cmyk.jpg']:
    stem = name.replace('.', '-')
    with open(os.path.join(here, '..', 'img-' + stem + '.xml'), 'w') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<digest version="1">\n'
                '<meta><title>T</title><published>2026-02-01</published></meta>\n'
                '<section name="庁">\n<article><title>記事</title>\n'
                '<figure src="images/%s"><caption>%s</caption></figure>\n'
                '</article>\n</section>\n</digest>\n' % (name, name))
