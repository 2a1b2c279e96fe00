// The diary's points feed: a line for each new award of the pupil shown, from the
// diary's own socket (school/diary/diary.js re-dispatches its events as "diary-event").
import { awardLine, prependLine } from "./points_text.js";

const feed = document.getElementById("points-feed");
const list = document.getElementById("points-feed-list");

if (feed && list) {
  document.addEventListener("diary-event", (event) => {
    const message = event.detail || {};
    const award = message.data || {};
    if (message.kind !== "points" || String(award.pupil) !== feed.dataset.pupil) return;
    prependLine(list, awardLine(award, feed));
  });
}
