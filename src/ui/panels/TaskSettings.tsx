/** Task picker and the picked task's difficulty knobs. */
import { getTask, TASKS } from '../../rl/tasks/registry';
import { resolveDifficulty } from '../../rl/tasks/types';
import { runStore, useRun } from '../../store/appStore';
import { NumberField, Section } from './fields';
import { useId } from 'react';

export function TaskSettings() {
  const id = useId();
  const taskName = useRun((s) => s.draft.task);
  const problems = useRun((s) => s.problems.task);
  const task = TASKS.find((t) => t.name === taskName);
  const pick = (name: string) => {
    const { draft, setDraft } = runStore().getState();
    // Knobs differ per task: start the new task at its own defaults.
    setDraft({ ...draft, task: name, difficulty: resolveDifficulty(getTask(name)) });
  };
  return (
    <Section title="Task" problems={problems}>
      <div className="field field-wide">
        <label htmlFor={id}>task</label>
        <select id={id} value={taskName} onChange={(e) => pick(e.target.value)}>
          {TASKS.map((t) => (
            <option key={t.name} value={t.name}>
              {t.title}
            </option>
          ))}
        </select>
        {task && <small className="field-hint">{task.description}</small>}
      </div>
      {task?.knobs.map((k) => (
        <NumberField key={k.name} label={k.label} path={`difficulty.${k.name}`} min={k.min} max={k.max} hint={`${k.min}–${k.max}`} />
      ))}
    </Section>
  );
}
