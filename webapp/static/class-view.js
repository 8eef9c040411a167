// The class view's table as a grid for the keyboard: the arrow keys move between cells (up and down a
// competency's column, along a student's row), Home and End go to a row's first and last cell. Tab still
// walks every cell; without this script the table works the same, one Tab at a time.
document.addEventListener("keydown", function (event) {
  var link = event.target.closest ? event.target.closest("td.cell > a") : null;
  if (!link || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  var cell = link.parentElement, row = cell.parentElement, column = cell.cellIndex, target = null;
  if (event.key === "ArrowRight") target = row.cells[column + 1];
  else if (event.key === "ArrowLeft") target = row.cells[column - 1];
  else if (event.key === "ArrowDown") target = row.nextElementSibling && row.nextElementSibling.cells[column];
  else if (event.key === "ArrowUp") target = row.previousElementSibling && row.previousElementSibling.cells[column];
  else if (event.key === "Home") target = row.cells[1];
  else if (event.key === "End") target = row.cells[row.cells.length - 1];
  var next = target ? target.querySelector("a") : null;
  if (next) {
    next.focus();
    event.preventDefault();
  }
});
