"""Excalidraw elements as outlines in board coordinates: pure geometry, no drawing.

Every number read from a document goes through `number`: a board is written by
its users' browsers, so a value may be missing, a string, NaN or 1e300.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

# Coordinates beyond this are clamped: far enough for any real board (Excalidraw's
# canvas is "infinite", but nobody scrolls a million pixels), near enough that the
# arithmetic below never overflows or loses all precision.
MAX_COORD = 1_000_000.0
MAX_STROKE = 200.0
MAX_POINTS = 5_000  # per line or freehand stroke; longer ones are thinned evenly
ELLIPSE_SEGMENTS = 72
CURVE_STEPS = 6  # segments per span of a curved line

# Corner radii of rounded rectangles, as Excalidraw 0.17 computes them.
ROUNDNESS_ADAPTIVE = 3
ADAPTIVE_RADIUS = 32.0
PROPORTIONAL_RADIUS = 0.25

# Arrowheads as Excalidraw 0.17 draws them: length in board pixels, half-angle.
ARROWHEAD_SIZE = {"arrow": 30.0, "bar": 15.0, "dot": 15.0, "triangle": 15.0}
ARROWHEAD_ANGLE = {"arrow": 20.0, "bar": 90.0, "triangle": 25.0}


def number(value, default: float = 0.0, limit: float = MAX_COORD) -> float:
    """A finite number clamped to ±limit; `default` for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    try:
        value = float(value)
    except OverflowError:  # an int beyond floats
        return default
    if not math.isfinite(value):
        return default
    return max(-limit, min(limit, value))


def element_box(element: dict) -> Box:
    """The element's unrotated box; negative sizes are turned around."""
    x, y = number(element.get("x")), number(element.get("y"))
    width = number(element.get("width"), limit=2 * MAX_COORD)
    height = number(element.get("height"), limit=2 * MAX_COORD)
    return (
        min(x, x + width),
        min(y, y + height),
        max(x, x + width),
        max(y, y + height),
    )


def element_points(element: dict) -> list[Point]:
    """The absolute points of a line, arrow or freehand stroke, at most MAX_POINTS.

    The first and last points are always kept (arrowheads sit on them).
    """
    raw = element.get("points")
    if not isinstance(raw, list) or not raw:
        return []
    if len(raw) > MAX_POINTS:
        step = math.ceil(len(raw) / MAX_POINTS)
        raw = [*raw[:-1:step], raw[-1]]
    x, y = number(element.get("x")), number(element.get("y"))
    return [
        (_coordinate(x, point[0]), _coordinate(y, point[1]))
        for point in raw
        if type(point) in (list, tuple) and len(point) >= 2
    ]


def _coordinate(origin: float, offset) -> float:
    # The common case first, in one comparison (false for NaN and infinities too):
    # a long freehand stroke has thousands of points.
    if type(offset) is float and -MAX_COORD <= origin + offset <= MAX_COORD:
        return origin + offset
    value = origin + number(offset, limit=2 * MAX_COORD)
    return max(-MAX_COORD, min(MAX_COORD, value))


def bounds(points: Sequence[Point]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def centre(box: Box) -> Point:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def rotate(points: Sequence[Point], about: Point, angle: float) -> list[Point]:
    """Points turned by `angle` radians clockwise on screen (y grows downwards),
    as Excalidraw turns elements."""
    if not angle:
        return list(points)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = about
    return [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in points
    ]


def rectangle_outline(box: Box, roundness) -> list[Point]:
    left, top, right, bottom = box
    radius = corner_radius(min(right - left, bottom - top), roundness)
    if radius <= 0:
        return [(left, top), (right, top), (right, bottom), (left, bottom)]
    corners = [
        (right - radius, top + radius, -90.0),
        (right - radius, bottom - radius, 0.0),
        (left + radius, bottom - radius, 90.0),
        (left + radius, top + radius, 180.0),
    ]
    outline = []
    for cx, cy, start in corners:
        for step in range(9):
            theta = math.radians(start + step * 90 / 8)
            outline.append(
                (cx + radius * math.cos(theta), cy + radius * math.sin(theta))
            )
    return outline


def corner_radius(side: float, roundness) -> float:
    """Excalidraw's getCornerRadius: a fixed 32 px, or a quarter of a small side."""
    if not isinstance(roundness, dict):
        return 0.0
    if roundness.get("type") == ROUNDNESS_ADAPTIVE:
        fixed = number(roundness.get("value"), ADAPTIVE_RADIUS, limit=MAX_COORD)
        fixed = fixed if fixed > 0 else ADAPTIVE_RADIUS
        if side <= fixed / PROPORTIONAL_RADIUS:
            return side * PROPORTIONAL_RADIUS
        return fixed
    return side * PROPORTIONAL_RADIUS


def ellipse_outline(box: Box) -> list[Point]:
    cx, cy = centre(box)
    rx, ry = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    return [
        (
            cx + rx * math.cos(2 * math.pi * i / ELLIPSE_SEGMENTS),
            cy + ry * math.sin(2 * math.pi * i / ELLIPSE_SEGMENTS),
        )
        for i in range(ELLIPSE_SEGMENTS)
    ]


def diamond_outline(box: Box) -> list[Point]:
    cx, cy = centre(box)
    return [(cx, box[1]), (box[2], cy), (cx, box[3]), (box[0], cy)]


def curve(points: Sequence[Point]) -> list[Point]:
    """A Catmull-Rom spline through the points (Excalidraw's "round" lines)."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out = [points[0]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(1, CURVE_STEPS + 1):
            t = step / CURVE_STEPS
            out.append(
                tuple(_catmull_rom(p0[k], p1[k], p2[k], p3[k], t) for k in (0, 1))
            )
    return out


def _catmull_rom(a: float, b: float, c: float, d: float, t: float) -> float:
    return 0.5 * (
        2 * b
        + (c - a) * t
        + (2 * a - 5 * b + 4 * c - d) * t * t
        + (3 * b - a - 3 * c + d) * t * t * t
    )


def smooth(points: Sequence[Point]) -> list[Point]:
    """One round of Chaikin's corner cutting, ends kept: freehand input is dense,
    so this is enough to take the corners off the pointer samples."""
    if len(points) < 3:
        return list(points)
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        out.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
        out.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
    out.append(points[-1])
    return out


def is_loop(points: Sequence[Point], stroke_width: float) -> bool:
    """A line whose ends meet is a closed shape (Excalidraw fills it)."""
    if len(points) < 3:
        return False
    (x0, y0), (x1, y1) = points[0], points[-1]
    return math.hypot(x1 - x0, y1 - y0) <= max(8.0, stroke_width)


def arrowhead(points: Sequence[Point], kind, stroke_width: float, *, at_end: bool):
    """The arrowhead at one end of a line, like Excalidraw's getArrowheadPoints.

    Returns ("lines", [[tip, wing], [tip, wing]]) for "arrow", ("polygon", [...])
    for "triangle", ("bar", [a, b]) and ("dot", (centre, diameter)); None for no
    head or an unknown kind.
    """
    if kind not in ARROWHEAD_SIZE or len(points) < 2:
        return None
    ordered = list(points) if at_end else list(reversed(points))
    tip, before = ordered[-1], ordered[-2]
    if kind == "arrow":
        length = math.dist(before, tip)
    else:
        length = sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))
    distance = math.dist(before, tip)
    if distance == 0:
        return None
    nx, ny = (tip[0] - before[0]) / distance, (tip[1] - before[1]) / distance
    size = min(ARROWHEAD_SIZE[kind], length / 2)
    base = (tip[0] - nx * size, tip[1] - ny * size)
    if kind == "dot":
        return ("dot", (tip, math.dist(base, tip) + stroke_width))
    half_angle = math.radians(ARROWHEAD_ANGLE[kind])
    left = rotate([base], tip, -half_angle)[0]
    right = rotate([base], tip, half_angle)[0]
    if kind == "arrow":
        return ("lines", [[left, tip], [right, tip]])
    if kind == "bar":
        return ("bar", [left, right])
    return ("polygon", [tip, left, right])


# --- Elements as a whole

SHAPES = {"rectangle", "ellipse", "diamond"}
LINEAR = {"line", "arrow"}
# Excalidraw draws freehand as a pressure-shaped outline 4.25 × strokeWidth wide at
# mid pressure, thinner where the pen moved fast; a constant 3 × looks closest.
FREEDRAW_WIDTH = 3.0


def outline(element: dict) -> tuple[list[Point], bool]:
    """The element's points on the board before it is turned, and whether they
    close a shape. Text and images: the corners of their box."""
    kind = element.get("type")
    if kind in LINEAR or kind == "freedraw":
        return element_points(element), False
    box = element_box(element)
    if kind == "rectangle":
        return rectangle_outline(box, element.get("roundness")), True
    if kind == "ellipse":
        return ellipse_outline(box), True
    if kind == "diamond":
        return diamond_outline(box), True
    left, top, right, bottom = box
    return [(left, top), (right, top), (right, bottom), (left, bottom)], True


def stroke_width(element: dict) -> float:
    width = max(0.0, number(element.get("strokeWidth"), 1, MAX_STROKE))
    return width * FREEDRAW_WIDTH if element.get("type") == "freedraw" else width


def angle(element: dict) -> float:
    return number(element.get("angle"), 0, 1000) % (2 * math.pi)


@dataclass(frozen=True)
class Outline:
    """An element's points on the board, turned as it is, and what covers it."""

    points: list[Point]  # before turning; text and images: their box's corners
    closed: bool
    about: Point  # the centre it turns about
    angle: float
    turned: list[Point]
    bounds: Box  # of the turned points, widened by half the stroke


def element_outline(element: dict) -> Outline | None:
    """None for an element with nothing to draw (no points)."""
    points, closed = outline(element)
    if not points:
        return None
    about, turn = centre(bounds(points)), angle(element)
    turned = rotate(points, about, turn)
    left, top, right, bottom = bounds(turned)
    pad = stroke_width(element) / 2
    box = (left - pad, top - pad, right + pad, bottom + pad)
    return Outline(points, closed, about, turn, turned, box)
