// "Whole class" and "Clear" on the teacher's award form.
for (const button of document.querySelectorAll("#award-form [data-select]")) {
  button.addEventListener("click", () => {
    const all = button.dataset.select === "all";
    for (const box of document.querySelectorAll('#award-form input[name="pupils"]')) {
      box.checked = all;
    }
  });
}
