import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Project } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface ProjectRow {
  id: string;
  path: string;
  name: string;
  created_at: number;
}
const toProject = (r: ProjectRow): Project => ({ id: r.id, path: r.path, name: r.name, createdAt: r.created_at });

/** Projects are directories agents work in, keyed by their real path. */
export function createProjectsRepo(db: Db) {
  const byPath = db.prepare<[string], ProjectRow>('SELECT * FROM projects WHERE path = ?');
  const byId = db.prepare<[string], ProjectRow>('SELECT * FROM projects WHERE id = ?');
  const all = db.prepare<[], ProjectRow>('SELECT * FROM projects ORDER BY name');
  const insert = db.prepare('INSERT INTO projects (id, path, name, created_at) VALUES (?, ?, ?, ?)');
  return {
    /** The project at `realPath`, created on first use. */
    ensure(realPath: string, now: number): Project {
      const row = byPath.get(realPath);
      if (row) return toProject(row);
      const project: Project = { id: randomUUID(), path: realPath, name: basename(realPath) || realPath, createdAt: now };
      insert.run(project.id, project.path, project.name, project.createdAt);
      return project;
    },
    get(id: string): Project | undefined {
      const row = byId.get(id);
      return row && toProject(row);
    },
    findByPath(realPath: string): Project | undefined {
      const row = byPath.get(realPath);
      return row && toProject(row);
    },
    list(): Project[] {
      return all.all().map(toProject);
    },
  };
}
