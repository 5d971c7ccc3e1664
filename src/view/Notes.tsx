/**
 * Notes about where an output's data comes from (e.g. which tracking server
 * this JupyterLab reads from), shown open, as text.
 */
import React from 'react';
import { CSS } from './classes';

/** Props of {@link Notes}. */
export interface INotesProps {
  notes: readonly string[];
}

/** One line per note; nothing when there is none. */
export function Notes({ notes }: INotesProps): React.ReactElement | null {
  if (notes.length === 0) {
    return null;
  }
  return (
    <>
      {notes.map((note, index) => (
        <div
          key={index}
          className={`${CSS.notice} ${CSS.modWarning} jp-MlflowTrace-note`}
          role="note"
        >
          {note}
        </div>
      ))}
    </>
  );
}
