"""adaptive: competencies, Bayesian knowledge tracing and rules for blended classrooms."""
