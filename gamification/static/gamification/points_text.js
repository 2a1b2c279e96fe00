// Wording of a live award ({"type": "points.awarded", ...} from gamification.events),
// from texts the server translated into the page's language (data attributes).

export function format(template, values) {
  return (template || "").replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

function kindsOf(holder) {
  try {
    return JSON.parse(holder.dataset.kinds || "{}");
  } catch {
    return {};
  }
}

/** "Learning game — Fractions": the kind in the page's language, then the entry's reason. */
export function reasonOf(award, holder) {
  const label = kindsOf(holder)[award.kind] || award.kind_label || "";
  return award.reason ? `${label} — ${award.reason}` : label;
}

/** The level reached and the new badges, each a sentence of its own. */
export function extrasOf(award, holder) {
  const texts = holder.dataset;
  const extras = [];
  if (award.level_up) {
    extras.push({ kind: "level", text: format(texts.textLevel, { level: award.level }) });
  }
  for (const name of award.badges || []) {
    extras.push({ kind: "badge", text: format(texts.textBadge, { name }) });
  }
  return extras;
}

/** A list item "Petya earned points: +5 (Learning game)", the extras after it. */
export function awardLine(award, holder) {
  const item = document.createElement("li");
  item.className = "points-line updated";
  item.dataset.entry = String(award.entry);
  item.dataset.pupil = String(award.pupil);
  const main = document.createElement("span");
  main.className = "points-line-text";
  main.textContent = format(holder.dataset.textEarned, {
    // The console names pupils as class lists do ("Иванов П."); families by first name.
    name: award[holder.dataset.nameField || "name"] || award.name,
    amount: award.amount,
    reason: reasonOf(award, holder),
  });
  item.append(main);
  for (const extra of extrasOf(award, holder)) {
    const span = document.createElement("span");
    span.className = `points-line-${extra.kind}`;
    span.textContent = ` ${extra.text}`;
    item.append(span);
  }
  return item;
}

/** Puts a line on top of a list, replacing the "nothing yet" item, keeping `keep` lines. */
export function prependLine(list, item, keep = 20) {
  list.querySelector(".points-empty")?.remove();
  if (list.querySelector(`[data-entry="${CSS.escape(item.dataset.entry)}"]`)) return;
  list.prepend(item);
  while (list.children.length > keep) list.lastElementChild.remove();
}
