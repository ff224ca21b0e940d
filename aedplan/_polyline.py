"""Lines as Google encoded polylines (5 decimals, about 1 m): 3 to 6 bytes a vertex
instead of GeoJSON's 20, for the street layer of a whole city's map. Encoded here on
arrays, decoded in the browser by :data:`DECODE_JS`.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["DECODE_JS", "encode_lines"]

#: The browser side: one encoded string to ``[[lat, lon], ...]``.
DECODE_JS = """function aedplanDecode(text) {
    var i = 0, lat = 0, lon = 0, out = [];
    function next() {
        var b, shift = 0, result = 0;
        do { b = text.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; }
        while (b >= 32);
        return (result & 1) ? ~(result >> 1) : (result >> 1);
    }
    while (i < text.length) { lat += next(); lon += next(); out.push([lat / 1e5, lon / 1e5]); }
    return out;
}"""


def encode_lines(lines: np.ndarray) -> list[str]:
    """Each lon/lat LineString of ``lines`` as an encoded polyline (lat, lon order).

    >>> encode_lines(np.array([shapely.LineString([(-120.2, 38.5), (-120.95, 40.7),
    ...                                            (-126.453, 43.252)])]))
    ['_p~iF~ps|U_ulLnnqC_mqNvxq`@']
    """
    xy, which = shapely.get_coordinates(lines, return_index=True)
    if which.size == 0:
        return ["" for _ in range(len(lines))]
    e5 = np.round(xy[:, ::-1] * 1e5).astype(np.int64)  # lat, lon
    first = np.r_[True, which[1:] != which[:-1]]
    delta = e5 - np.where(first[:, None], 0, np.roll(e5, 1, axis=0))
    value = delta.ravel()
    zig = (value << 1) ^ (value >> 63)
    chunks = 1 + sum((zig >= (1 << (5 * k))).astype(np.int64) for k in range(1, 7))
    rep = np.repeat(zig, chunks)
    rank = np.arange(rep.size) - np.repeat(np.cumsum(chunks) - chunks, chunks)
    more = rank < np.repeat(chunks, chunks) - 1
    chars = (((rep >> (5 * rank)) & 31) | (more * 32)) + 63
    text = chars.astype(np.uint8).tobytes().decode("ascii")
    per_line = np.bincount(np.repeat(np.repeat(which, 2), chunks), minlength=len(lines))
    ends = np.cumsum(per_line)
    starts = ends - per_line
    return [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
