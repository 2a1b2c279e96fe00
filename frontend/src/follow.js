// Follow-me on screens of any size: the pupil sees the part of the board the
// teacher sees, centred and scaled to fit the pupil's own canvas (a phone gets
// the whole of the teacher's view, smaller; a projector the same, larger).

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 30;

/** Excalidraw's {scrollX, scrollY, zoom} showing the teacher's `viewport` on a
 * canvas of `own.width` × `own.height`. A viewport without its size (an older
 * teacher's page) is taken as it is. */
export function fittedView(viewport, own) {
  const { x, y, zoom, width, height } = viewport;
  if (!width || !height || !own.width || !own.height) {
    return { scrollX: x, scrollY: y, zoom: { value: zoom } };
  }
  // The teacher's visible part of the scene, in scene units.
  const sceneWidth = width / zoom;
  const sceneHeight = height / zoom;
  const centreX = -x + sceneWidth / 2;
  const centreY = -y + sceneHeight / 2;
  const fit = Math.min(own.width / sceneWidth, own.height / sceneHeight);
  const value = Math.min(Math.max(fit, MIN_ZOOM), MAX_ZOOM);
  return {
    scrollX: own.width / (2 * value) - centreX,
    scrollY: own.height / (2 * value) - centreY,
    zoom: { value },
  };
}
