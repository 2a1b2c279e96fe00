// The gradebook grid: keyboard entry of marks and attendance without page reloads.
// One roving tab stop: the focused cell has tabindex 0, every other cell -1, so Tab
// leaves the grid in one press and the arrow keys move inside it.
const grid = document.getElementById("gradebook-grid");
const status = document.getElementById("grid-status");
const panel = document.getElementById("history-panel");
const workTypeSelect = document.getElementById("work-type");
const labels = grid.dataset;
const editable = grid.dataset.editable === "true";
const passFail = grid.dataset.scale === "pass_fail";

// Both keyboard layouts: a Russian teacher types Н, О, У, П on the same keys.
const ATTENDANCE_KEYS = {
  n: "absent", "н": "absent",
  l: "late", "о": "late",
  e: "excused", "у": "excused",
  p: "present", "п": "present",
};
const WORK_TYPE_KEYS = ["t", "е"];
const COMMENT_KEYS = ["c", "с"];
const HISTORY_KEYS = ["h", "р"];
const MARK_CHARACTER = passFail ? /^[+\-−01]$/ : /^[0-9]$/;

function cells(row) {
  return [...row.querySelectorAll("td.cell")];
}

function focusCell(cell) {
  if (!cell) return;
  grid.querySelectorAll('td.cell[tabindex="0"]').forEach((c) => (c.tabIndex = -1));
  cell.tabIndex = 0;
  cell.focus();
}

function move(cell, dRow, dCol) {
  const rows = [...grid.tBodies[0].rows].filter((r) => r.querySelector("td.cell"));
  const rowIndex = rows.indexOf(cell.parentElement);
  const colIndex = cells(cell.parentElement).indexOf(cell);
  const row = rows[Math.max(0, Math.min(rows.length - 1, rowIndex + dRow))];
  const list = cells(row);
  const col = dCol === Infinity ? list.length - 1 : dCol === -Infinity ? 0 : colIndex + dCol;
  focusCell(list[Math.max(0, Math.min(list.length - 1, col))]);
}

function say(message) {
  status.textContent = message;
}

function clearError(cell) {
  cell.querySelector(".cell-error")?.remove();
  cell.removeAttribute("aria-invalid");
}

function showError(cell, message) {
  clearError(cell);
  const box = document.createElement("div");
  box.className = "cell-error";
  box.setAttribute("role", "alert");
  box.textContent = message;
  cell.append(box);
  cell.setAttribute("aria-invalid", "true");
  say(message);
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": grid.dataset.csrf },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  return readAnswer(response);
}

async function readAnswer(response) {
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  if (!response.ok) throw new Error(data.error || labels.labelFailed);
  return data;
}

function renderMark(mark) {
  const span = document.createElement("span");
  span.className = `mark weight-${mark.weight}`;
  span.dataset.workType = mark.work_type;
  span.dataset.value = mark.value;
  span.dataset.comment = mark.comment;
  span.title = `${mark.work_type_name}, ${labels.labelWeight} ${mark.weight}` +
    (mark.comment ? `: ${mark.comment}` : "");
  span.append(mark.display);
  if (mark.weight > 1) {
    const sub = document.createElement("sub");
    sub.textContent = mark.weight;
    span.append(sub);
  }
  if (mark.comment) {
    const star = document.createElement("span");
    star.className = "has-comment";
    star.setAttribute("aria-hidden", "true");
    star.textContent = "*";
    span.append(star);
  }
  return span;
}

function renderCell(cell, data) {
  const marks = cell.querySelector(".marks");
  marks.replaceChildren(...data.marks.map(renderMark));
  const att = cell.querySelector(".att");
  att.className = `att att-${data.status}`;
  att.textContent = data.letter;
  att.title = data.status_label;
}

function renderRow(data) {
  const row = grid.querySelector(`tr[data-pupil="${data.pupil}"]`);
  row.querySelector(".average").textContent = data.average;
  row.querySelector(".rate").textContent = data.rate === null ? "" : `${data.rate}%`;
  const suggested = row.querySelector(".suggested");
  if (suggested && data.suggested === null) suggested.remove();
}

function cellKey(cell) {
  return { lesson: Number(cell.dataset.lesson), pupil: Number(cell.dataset.pupil) };
}

async function send(cell, url, body) {
  clearError(cell);
  try {
    const data = await post(url, { ...cellKey(cell), ...body });
    renderCell(cell, data.cell);
    renderRow(data.row);
    say(labels.labelSaved);
    return true;
  } catch (error) {
    showError(cell, error.message);
    return false;
  }
}

function currentWorkType() {
  return workTypeSelect ? workTypeSelect.value : "";
}

function markOf(cell, workType) {
  return cell.querySelector(`.mark[data-work-type="${CSS.escape(workType)}"]`);
}

function normalise(value) {
  const text = value.trim();
  if (!passFail) return text;
  if (text === "+") return "1";
  if (text === "-" || text === "−") return "0";
  return text;
}

// --- The cell editor: a small form inside the cell (mark, work type, comment).

function openEditor(cell, { initial = null, focusComment = false } = {}) {
  closeEditor();
  const workType = currentWorkType();
  const existing = markOf(cell, workType);
  const form = document.createElement("form");
  form.className = "cell-editor";
  form.innerHTML = `
    <label>${labels.labelMark}<input name="value" autocomplete="off" inputmode="${passFail ? "text" : "numeric"}" size="4"></label>
    <label>${labels.labelComment}<input name="comment" autocomplete="off" maxlength="500"></label>
    <button type="submit">${labels.labelSave}</button>
    <button type="button" class="cancel">${labels.labelCancel}</button>`;
  const value = form.elements.value;
  const comment = form.elements.comment;
  value.value = initial ?? (existing ? existing.dataset.value : "");
  comment.value = existing ? existing.dataset.comment : "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const saved = await send(cell, grid.dataset.markUrl, {
      work_type: workType,
      value: normalise(value.value),
      comment: comment.value,
    });
    if (saved) {
      closeEditor();
      move(cell, 1, 0);
    } else {
      value.focus();
    }
  });
  form.querySelector(".cancel").addEventListener("click", () => closeEditor(cell));
  form.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Escape") closeEditor(cell);
  });
  cell.append(form);
  (focusComment ? comment : value).focus();
}

function closeEditor(returnTo = null) {
  grid.querySelector(".cell-editor")?.remove();
  if (returnTo) focusCell(returnTo);
}

async function removeMark(cell) {
  const marks = cell.querySelectorAll(".mark");
  const chosen = markOf(cell, currentWorkType()) || (marks.length === 1 ? marks[0] : null);
  if (!chosen) return;
  await send(cell, grid.dataset.removeUrl, { work_type: chosen.dataset.workType });
}

function nextWorkType() {
  if (!workTypeSelect) return;
  workTypeSelect.selectedIndex = (workTypeSelect.selectedIndex + 1) % workTypeSelect.options.length;
  say(workTypeSelect.selectedOptions[0].textContent);
}

// --- The history panel of a cell.

async function showHistory(cell) {
  const url = new URL(grid.dataset.historyUrl, location.href);
  url.search = new URLSearchParams(cellKey(cell)).toString();
  const list = panel.querySelector(".history-list");
  try {
    const data = await readAnswer(await fetch(url, { credentials: "same-origin" }));
    list.replaceChildren(...data.changes.map(historyItem));
    if (!data.changes.length) list.append(historyItem(null));
    panel.hidden = false;
    panel.dataset.returnTo = `${cell.dataset.pupil}:${cell.dataset.lesson}`;
    panel.querySelector(".history-close").focus();
  } catch (error) {
    showError(cell, error.message);
  }
}

function historyItem(change) {
  const item = document.createElement("li");
  if (!change) {
    item.textContent = labels.labelNoHistory;
    return item;
  }
  const comment = change.new_comment !== change.old_comment ? ` «${change.new_comment}»` : "";
  item.textContent = `${change.when} — ${change.who}, ${change.work_type}: ` +
    `${change.old || "∅"} → ${change.new || "∅"}${comment}`;
  return item;
}

function closeHistory() {
  panel.hidden = true;
  const [pupil, lesson] = (panel.dataset.returnTo || ":").split(":");
  focusCell(grid.querySelector(`td.cell[data-pupil="${pupil}"][data-lesson="${lesson}"]`));
}

panel.querySelector(".history-close").addEventListener("click", closeHistory);
panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeHistory();
});

// --- Keys on a focused cell.

const MOVES = {
  ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
  Home: [0, -Infinity], End: [0, Infinity],
};

function onEditKey(cell, event) {
  const key = event.key.toLowerCase();
  if (MARK_CHARACTER.test(event.key)) openEditor(cell, { initial: event.key });
  else if (event.key === "Enter") openEditor(cell);
  else if (event.key === "Delete" || event.key === "Backspace") removeMark(cell);
  else if (key in ATTENDANCE_KEYS) {
    send(cell, grid.dataset.attendanceUrl, { status: ATTENDANCE_KEYS[key] });
  } else if (WORK_TYPE_KEYS.includes(key)) nextWorkType();
  else if (COMMENT_KEYS.includes(key)) openEditor(cell, { focusComment: true });
  else return false;
  return true;
}

grid.addEventListener("keydown", (event) => {
  const cell = event.target.closest("td.cell");
  if (!cell || event.target !== cell || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key in MOVES) {
    move(cell, ...MOVES[event.key]);
  } else if (HISTORY_KEYS.includes(event.key.toLowerCase())) {
    showHistory(cell);
  } else if (!editable || !onEditKey(cell, event)) {
    return;
  }
  event.preventDefault();
});

grid.addEventListener("click", (event) => {
  const cell = event.target.closest("td.cell");
  if (cell && !event.target.closest(".cell-editor")) focusCell(cell);
});

grid.addEventListener("dblclick", (event) => {
  const cell = event.target.closest("td.cell");
  if (cell && editable && !event.target.closest(".cell-editor")) openEditor(cell);
});

// --- The final term mark, typed into its own field.

grid.querySelectorAll(".term-mark-input").forEach((input) => {
  input.addEventListener("keydown", async (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const td = input.closest("td");
    clearError(td);
    try {
      const data = await post(grid.dataset.termMarkUrl, {
        pupil: Number(input.dataset.pupil),
        value: normalise(input.value),
      });
      input.value = data.row.term_mark ?? "";
      say(labels.labelSaved);
    } catch (error) {
      showError(td, error.message);
    }
  });
});

// --- Today in view: the grid opens scrolled to today's lesson (or the last one
// given), not to the first week of the term.

function showToday() {
  const wrap = grid.closest(".grid-wrap");
  const columns = grid.tHead.querySelectorAll("th[data-past]");
  const today = grid.tHead.querySelector("th.today") || columns[columns.length - 1];
  if (!wrap || !today) return;
  const names = grid.tHead.querySelector(".pupil-col").offsetWidth;
  const right = today.offsetLeft + today.offsetWidth;
  // Today's column near the right edge, so the weeks before it show too.
  wrap.scrollLeft = Math.max(0, right - wrap.clientWidth + names);
}
showToday();
