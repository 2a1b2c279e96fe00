// The term at a glance (Chart.js, served from our own origin): each subject's
// marks over the term as lines, and attendance per subject as bars. The summary
// table below says the same for screen readers and without script.
const data = JSON.parse(document.getElementById("term-chart-data").textContent);
const COLOURS = ["#0b57d0", "#c8102e", "#137a1c", "#a15c00", "#6a1b9a", "#00695c", "#5f6b76", "#d81b60", "#1e88e5", "#7cb342"];
const colour = (index) => COLOURS[index % COLOURS.length];
const Chart = window.Chart;

if (Chart) {
  const day = (iso) => Date.parse(`${iso}T12:00:00`);
  new Chart(document.getElementById("marks-chart"), {
    type: "line",
    data: {
      datasets: data.subjects
        .filter((subject) => subject.marks.length)
        .map((subject, index) => ({
          label: subject.name,
          data: subject.marks.map((mark) => ({ x: day(mark.x), y: mark.y })),
          borderColor: colour(index),
          backgroundColor: colour(index),
          tension: 0,
        })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      scales: {
        x: {
          type: "linear",
          ticks: {
            callback: (value) =>
              new Date(value).toLocaleDateString(document.documentElement.lang, { day: "numeric", month: "short" }),
          },
        },
        y: { min: 1, max: 5, ticks: { stepSize: 1 } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
  const attended = data.subjects.filter((subject) => subject.rate !== null);
  new Chart(document.getElementById("attendance-chart"), {
    type: "bar",
    data: {
      labels: attended.map((subject) => subject.name),
      datasets: [
        {
          data: attended.map((subject) => subject.rate),
          backgroundColor: attended.map((subject) => (subject.rate < 80 ? "#c8102e" : "#137a1c")),
        },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, max: 100 } },
      plugins: { legend: { display: false } },
    },
  });
  document.getElementById("term-charts").dataset.drawn = "true";
}
