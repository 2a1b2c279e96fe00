// Above the canvas: the board's pages, the tools Excalidraw lacks, the teacher's
// page clear and follow-me. Every text comes from the template (data-*-label).
import React, { useMemo, useRef, useState } from "react";

import { addPage, clearPage, pageTitle } from "./pages.js";
// Shared with the quiz host page (served as it is from school/static).
import { presentationToggle } from "../../school/static/school/present.js";
import * as tools from "./tools.js";

function PageTabs({ labels, pages, page, onPage, leading, onAdd }) {
  return (
    <nav className="board-pages" aria-label={labels.pages}>
      <ul>
        {pages.map((item, index) => (
          <li key={item.id}>
            <button
              type="button"
              className="board-page"
              data-page={item.id}
              aria-current={item.id === page ? "true" : undefined}
              // While the teacher leads, a pupil's screen shows the teacher's page.
              aria-disabled={leading ? "true" : undefined}
              onClick={() => leading || onPage(item.id)}
            >
              {pageTitle(item, index, labels.page)}
            </button>
          </li>
        ))}
        {onAdd && (
          <li>
            <button
              type="button"
              className="board-page-add"
              aria-label={labels.addPage}
              title={labels.addPage}
              onClick={onAdd}
            >
              +
            </button>
          </li>
        )}
      </ul>
    </nav>
  );
}

function Tools({ labels, api, surface, onClear }) {
  const penStyle = useRef(null);
  const use = (tool) => () => api && tool(api);
  const buttons = [
    ["pen", labels.pen, use((it) => tools.pen(it, penStyle))],
    ["highlighter", labels.highlighter, use((it) => tools.highlighter(it, penStyle))],
    ["sticky", labels.sticky, use((it) => tools.stickyNote(it, surface.current))],
    ["laser", labels.laser, use(tools.laser)],
  ];
  return (
    <div className="board-tools" role="group" aria-label={labels.tools}>
      {buttons.map(([name, label, onClick]) => (
        <button type="button" key={name} data-tool={name} onClick={onClick}>
          {label}
        </button>
      ))}
      {onClear && (
        <button type="button" className="board-clear" onClick={onClear}>
          {labels.clear}
        </button>
      )}
    </div>
  );
}

export function BoardBar(props) {
  const { config, api, doc, pages, page, onPage, canDraw, leading } = props;
  const { following, onFollow, onClearPage, surface } = props;
  const { labels } = config;
  const teacher = config.role === "teacher";
  const add = () => {
    const title = labels.page.replace("{n}", String(pages.length + 1));
    onPage(addPage(doc, title).id);
  };
  const clear = () => {
    if (!window.confirm(labels.clearConfirm)) return;
    clearPage(doc, page);
    onClearPage(page);
  };
  const [presenting, setPresenting] = useState(false);
  const present = useMemo(() => presentationToggle(config.element, setPresenting), [config]);
  return (
    <div className="board-bar">
      <PageTabs
        labels={labels}
        pages={pages}
        page={page}
        onPage={onPage}
        leading={leading}
        onAdd={canDraw && !leading ? add : null}
      />
      {canDraw && (
        <Tools labels={labels} api={api} surface={surface} onClear={teacher ? clear : null} />
      )}
      {labels.present && (
        <button
          type="button"
          className="board-present"
          id="board-present"
          aria-pressed={presenting ? "true" : "false"}
          onClick={present}
        >
          {presenting ? labels.presentEnd : labels.present}
        </button>
      )}
      {teacher && (
        <label className="board-follow">
          <input type="checkbox" id="board-follow" checked={following} onChange={onFollow} />{" "}
          {labels.follow}
        </label>
      )}
    </div>
  );
}
