// The teacher page: counts every 3 s, the live report reloaded when they change,
// and the Close button. Text goes in with textContent only (never as HTML).
const token = document.body.dataset.token;
const headers = { "X-Teacher-Token": token };
let last = "";

async function refresh() {
  try {
    const response = await fetch("/api/teacher/status", { headers });
    if (!response.ok) return;
    const status = await response.json();
    document.getElementById("students").textContent = status.students;
    document.getElementById("connected").textContent = status.connected;
    for (const [task, counts] of Object.entries(status.tasks)) {
      const row = document.querySelector(`tr[data-task="${CSS.escape(task)}"]`);
      if (!row) continue;
      row.querySelector(".started").textContent = counts.started;
      row.querySelector(".finished").textContent = counts.finished;
    }
    document.getElementById("closed").hidden = !status.closed;
    const now = JSON.stringify(status.tasks);
    if (now !== last) {
      last = now;
      // The server rebuilds the report at most every few seconds; ask again later too.
      setTimeout(reloadReport, 4000);
    }
  } catch (error) {
    // The server is restarting: try again at the next tick.
  }
}

function reloadReport() {
  const frame = document.getElementById("report");
  frame.src = `/teacher/report?token=${encodeURIComponent(token)}&t=${Date.now()}`;
}

async function closeClass() {
  if (!confirm("Close the class? Students can no longer start demos or send answers.")) return;
  const button = document.getElementById("close");
  button.disabled = true;
  const response = await fetch("/api/teacher/close", { method: "POST", headers });
  const answer = await response.json();
  const where = document.getElementById("report-path");
  where.textContent = answer.report ? `Final report: ${answer.report}`
                                    : (answer.message || answer.error || "");
  if (answer.report) reloadReport();
  button.disabled = false;
  refresh();
}

document.getElementById("close").addEventListener("click", closeClass);
setInterval(refresh, 3000);
refresh();
