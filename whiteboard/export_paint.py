"""Drawing one board element onto a page's canvas, within a work budget.

Shapes, lines and freehand strokes are turned as points and drawn straight onto
the canvas (through a layer only when translucent); text and images are drawn
upright on a layer that is then turned. Work is counted in rough pixel operations
(a fill costs one per pixel, about 0.3 ns here), estimated before drawing.
"""

import itertools
import math
from collections.abc import Callable

from PIL import Image, ImageColor, ImageDraw, ImageOps

from whiteboard import export_shapes as shapes
from whiteboard.export_text import draw_text, text_layout

ImageLoader = Callable[[str], Image.Image | None]

MAX_IMAGES = 64  # distinct image files decoded by one export
ELEMENT_WORK = 60_000  # the Python around each element, about 20 µs
POINT_WORK = 10_000  # the Python around each point of a line, about 3 µs a pass
# Per pixel of a layer: compositing it; making it translucent; turning it; scaling
# an image into it; decoding an image file.
LAYER_WORK, ALPHA_WORK, ROTATE_WORK, RESIZE_WORK, DECODE_WORK = 30, 80, 260, 120, 40
PLACEHOLDER_FILL, PLACEHOLDER_LINE = (233, 236, 239, 255), (173, 181, 189, 255)


class Budget:
    """Work left for one export. Once spent, the remaining elements are skipped."""

    def __init__(self, work: float) -> None:
        self.left = work

    def spend(self, work: float) -> bool:
        self.left -= work
        return self.left >= 0


class ImageCache:
    """The loader, each file id asked once, at most MAX_IMAGES distinct files."""

    def __init__(self, load: ImageLoader) -> None:
        self.load, self.images, self.decoded = load, {}, 0

    def __call__(self, file_id) -> Image.Image | None:
        if not isinstance(file_id, str) or not file_id:
            return None
        if file_id not in self.images:
            if len(self.images) >= MAX_IMAGES:
                return None
            image = self.load(file_id)
            self.images[file_id] = image
            self.decoded += 0 if image is None else image.width * image.height
        return self.images[file_id]


def colour(value) -> tuple[int, int, int, int] | None:
    """A CSS colour ("#1e1e1e", "#ff000080", "red") as RGBA; None when transparent
    or unreadable."""
    if not isinstance(value, str) or len(value) > 64 or value == "transparent":
        return None
    try:
        rgba = ImageColor.getcolor(value, "RGBA")
    except ValueError:
        return None
    return rgba if rgba[3] else None


class Painter:
    """A page's canvas; `frame` is the board point at its top left and the scale."""

    def __init__(self, canvas, frame, images: ImageCache, budget: Budget) -> None:
        self.canvas, self.images, self.budget = canvas, images, budget
        self.left, self.top, self.scale = frame
        self.draw = ImageDraw.Draw(canvas, "RGBA")

    def px(self, points) -> list[tuple[float, float]]:
        s = self.scale
        return [((x - self.left) * s, (y - self.top) * s) for x, y in points]

    def paint(self, element: dict, outline: shapes.Outline) -> bool:
        """Draws one element; False when the budget is spent (nothing drawn)."""
        opacity = shapes.number(element.get("opacity"), 100, 100) / 100
        if opacity <= 0:
            return True
        if element["type"] in {"text", "image"}:
            return self._upright(element, outline, opacity)
        ops = geometry_ops(element, outline.turned, outline.closed)
        ops = [self._scaled(op) for op in ops]
        box = _clip(_ops_box(ops), self.canvas.size) if ops else None
        if box is None:
            return True
        area = (box[2] - box[0]) * (box[3] - box[1])
        work = sum(map(_op_work, ops)) + len(outline.points) * POINT_WORK
        work += area * ALPHA_WORK if opacity < 1 else 0
        if not self.budget.spend(work):
            return False
        if opacity >= 1:
            _run(self.draw, ops, (0, 0))
            return True
        layer = Image.new("RGBA", (box[2] - box[0], box[3] - box[1]), (0, 0, 0, 0))
        _run(ImageDraw.Draw(layer), ops, box[:2])
        self._blend(layer, box[0], box[1], opacity)
        return True

    def _upright(self, element, outline: shapes.Outline, opacity: float) -> bool:
        """Text and images: drawn upright on their own layer, then turned."""
        (left, top), _, (right, bottom), _ = self.px(outline.points)
        planned = self._plan(element, (right - left, bottom - top))
        if planned is None:
            return True
        (width, height), work, draw_layer = planned
        per_pixel = LAYER_WORK + (ROTATE_WORK if outline.angle else 0)
        per_pixel += ALPHA_WORK if opacity < 1 else 0
        if not self.budget.spend(work + width * height * per_pixel):
            return False
        layer = draw_layer()
        if outline.angle:
            degrees = -math.degrees(outline.angle)
            layer = layer.rotate(degrees, Image.Resampling.BILINEAR, expand=True)
        cx, cy = self.px([outline.about])[0]
        x, y = round(cx - layer.width / 2), round(cy - layer.height / 2)
        self._blend(layer, x, y, opacity)
        return True

    def _plan(self, element: dict, box: tuple[float, float]):
        """The layer's size, the work to draw it and how; None if nothing shows.

        A layer may be larger than the canvas (a turned element's box can be), but
        not without bound.
        """
        limit = math.ceil(1.5 * max(self.canvas.size))
        if element["type"] == "text":
            ink = colour(element.get("strokeColor", "#1e1e1e"))
            layout = text_layout(element, self.scale, box, limit)
            if ink is None or layout is None:
                return None
            return layout.size, layout.work, lambda: draw_text(layout, ink)
        size = (round(min(box[0], limit)), round(min(box[1], limit)))
        if size[0] < 1 or size[1] < 1:
            return None
        work = size[0] * size[1] * RESIZE_WORK
        return size, work, lambda: self._image(element, size)

    def _image(self, element: dict, size: tuple[int, int]) -> Image.Image:
        decoded = self.images.decoded
        source = self.images(element.get("fileId"))
        self.budget.spend((self.images.decoded - decoded) * DECODE_WORK)
        if source is None:
            return _placeholder(size)
        layer = source.convert("RGBA").resize(
            size, Image.Resampling.BILINEAR, reducing_gap=2.0
        )
        flip = element.get("scale")
        if isinstance(flip, list) and len(flip) == 2:
            if shapes.number(flip[0], 1) < 0:
                layer = ImageOps.mirror(layer)
            if shapes.number(flip[1], 1) < 0:
                layer = ImageOps.flip(layer)
        return layer

    def _blend(self, layer: Image.Image, x: int, y: int, opacity: float) -> None:
        """Composites the layer at (x, y), cut to the canvas, at `opacity`."""
        box = _clip((x, y, x + layer.width, y + layer.height), self.canvas.size)
        if box is None:
            return
        part = layer.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))
        if opacity < 1:
            part.putalpha(part.getchannel("A").point(lambda a: round(a * opacity)))
        self.canvas.alpha_composite(part, dest=box[:2])

    def _scaled(self, op: tuple) -> tuple:
        """The operation in canvas pixels; freehand strokes thinned to about a
        pixel between points, then smoothed."""
        s = self.scale
        if op[0] == "fill":
            return ("fill", self.px(op[1]), op[2])
        if op[0] == "dot":
            return ("dot", self.px([op[1]])[0], max(1.0, op[2] * s), op[3])
        kind, points, ink, width, closed = op
        points = self.px(points)
        if kind == "freehand":
            points = shapes.smooth(_thinned(points, 1.0))
        return ("stroke", points, ink, max(1, round(width * s)), closed)


def geometry_ops(element: dict, points, closed: bool) -> list[tuple]:
    """Fill and stroke of a shape, line, arrow or freehand stroke, in board units:
    ("fill", points, ink), ("stroke" or "freehand", points, ink, width, closed),
    ("dot", centre, diameter, ink). Fill styles (hachure, cross-hatch, zigzag) are
    all drawn solid, and dashed or dotted strokes as solid lines."""
    kind, width = element["type"], shapes.stroke_width(element)
    stroke = colour(element.get("strokeColor", "#1e1e1e"))
    fill = colour(element.get("backgroundColor"))
    if kind == "freedraw":
        if stroke is None:
            return []
        if len(points) == 1:
            return [("dot", points[0], width, stroke)]
        return [("freehand", points, stroke, width, False)]
    if kind in shapes.LINEAR:
        if isinstance(element.get("roundness"), dict):
            points = shapes.curve(points)
        closed = kind == "line" and shapes.is_loop(points, width)
    ops = []
    if fill and closed and len(points) > 2:
        ops.append(("fill", points, fill))
    if stroke and width > 0 and len(points) > 1:
        ops.append(("stroke", points, stroke, width, closed))
        if kind == "arrow":
            ops += _arrowheads(element, points, stroke, width)
    return ops


def _arrowheads(element: dict, points, stroke, width: float) -> list[tuple]:
    ops = []
    for key, at_end in (("startArrowhead", False), ("endArrowhead", True)):
        head = shapes.arrowhead(points, element.get(key), width, at_end=at_end)
        if head is None:
            continue
        kind, geometry = head
        if kind == "lines":
            ops += [("stroke", line, stroke, width, False) for line in geometry]
        elif kind == "bar":
            ops.append(("stroke", geometry, stroke, width, False))
        elif kind == "polygon":
            ops += [
                ("fill", geometry, stroke),
                ("stroke", geometry, stroke, width, True),
            ]
        else:
            centre, diameter = geometry
            ops.append(("dot", centre, diameter, stroke))
    return ops


def _run(draw: ImageDraw.ImageDraw, ops: list[tuple], offset) -> None:
    ox, oy = offset
    for op in ops:
        if op[0] == "dot":
            (x, y), r, ink = op[1], op[2] / 2, op[3]
            draw.ellipse((x - ox - r, y - oy - r, x - ox + r, y - oy + r), fill=ink)
            continue
        points = [(x - ox, y - oy) for x, y in op[1]]
        if op[0] == "fill":
            draw.polygon(points, fill=op[2])
            continue
        ink, width, closed = op[2], op[3], op[4]
        if closed:
            points = [*points, points[0], points[1]]
        draw.line(points, ink, width)
        if width > 2:
            _round_joins(draw, points, ink, width, caps=not closed)


def _round_joins(draw, points: list, ink, width: int, *, caps: bool) -> None:
    """Discs where the line turns enough to leave a visible notch, and on its
    ends. Pillow's own round joins cost a Python call per point; the points of a
    freehand stroke mostly turn too little to need one."""
    r = width / 2
    # A turn by θ leaves a notch about r·θ deep: over 0.7 px shows.
    limit = min(0.25, (0.7 / r) ** 2)
    joins = [points[0], points[-1]] if caps else []
    for (x0, y0), (x1, y1), (x2, y2) in zip(
        points, points[1:], points[2:], strict=False
    ):
        ax, ay, bx, by = x1 - x0, y1 - y0, x2 - x1, y2 - y1
        cross, dot = ax * by - ay * bx, ax * bx + ay * by
        if dot < 0 or cross * cross > limit * (ax * ax + ay * ay) * (bx * bx + by * by):
            joins.append((x1, y1))
    for x, y in joins:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)


def _ops_box(ops: list[tuple]) -> shapes.Box:
    boxes = []
    for op in ops:
        if op[0] == "dot":
            (x, y), r = op[1], op[2] / 2
            boxes.append((x - r, y - r, x + r, y + r))
        else:
            pad = op[3] / 2 + 1 if op[0] == "stroke" else 1
            b = shapes.bounds(op[1])
            boxes.append((b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad))
    lefts, tops, rights, bottoms = zip(*boxes, strict=True)
    return (min(lefts), min(tops), max(rights), max(bottoms))


def _clip(box, size) -> tuple[int, int, int, int] | None:
    left, top = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    right, bottom = min(size[0], math.ceil(box[2])), min(size[1], math.ceil(box[3]))
    return (left, top, right, bottom) if right > left and bottom > top else None


def _thinned(points: list, step: float) -> list:
    """Points at least `step` apart (and the last one): pointer samples are dense,
    and each point costs a segment polygon and a join test."""
    kept = [points[0]]
    for point in points[1:-1]:
        last = kept[-1]
        if abs(point[0] - last[0]) + abs(point[1] - last[1]) >= step:
            kept.append(point)
    return [*kept, points[-1]] if len(points) > 1 else kept


def _op_work(op: tuple) -> float:
    """Measured here: a fill costs about a unit per pixel of its box plus its
    edges on every row; a wide line, drawn segment by segment as polygons, far
    more per pixel of ink, plus the test for a round join at each point."""
    if op[0] == "dot":
        return op[2] * op[2] + 1_000
    box = shapes.bounds(op[1])
    rows = box[3] - box[1] + 1
    if op[0] == "fill":
        return (box[2] - box[0] + 1) * rows + rows * len(op[1]) * 60
    points, width = op[1], op[3]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(points))
    joins = 3_000 + (width * width * 4 if width > 2 else 0)
    return length * (width + 2) * 80 + len(points) * joins


def _placeholder(size: tuple[int, int]) -> Image.Image:
    """A grey box where an image is missing (deleted, another board's, unreadable)."""
    layer = Image.new("RGBA", size, PLACEHOLDER_FILL)
    draw = ImageDraw.Draw(layer)
    w, h = size
    draw.rectangle((0, 0, w - 1, h - 1), outline=PLACEHOLDER_LINE, width=2)
    draw.line((0, 0, w - 1, h - 1), fill=PLACEHOLDER_LINE, width=2)
    draw.line((0, h - 1, w - 1, 0), fill=PLACEHOLDER_LINE, width=2)
    return layer
