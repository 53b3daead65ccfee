import path from 'node:path';

function isInside(parent, child) {
  const relative = path.relative(parent, child);
  return relative === "" || !relative.startsWith(".." + path.sep) && relative !== ".." && !path.isAbsolute(relative);
}

export { isInside as i };
