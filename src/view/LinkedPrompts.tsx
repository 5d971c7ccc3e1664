/**
 * Linked prompts (`mlflow.linkedPrompts`) of a span or a trace: each prompt
 * version by name, a link to its page in MLflow's UI when the server is known.
 */
import React from 'react';
import {
  formatCount,
  ILinkedPrompt,
  linkedPromptText,
  mlflowPromptUiUrl
} from '../trace';

/** Classes of the prompt list (style/loglevel.css). */
export const PROMPT_CSS = {
  list: 'jp-MlflowTrace-prompts',
  prompt: 'jp-MlflowTrace-prompt'
} as const;

/** Most prompts listed; the rest are counted ("and 3 more"). */
export const PROMPTS_SHOWN = 50;

/** Props of {@link LinkedPromptList}. */
export interface ILinkedPromptListProps {
  prompts: readonly ILinkedPrompt[];
  /** The trace's page in MLflow's UI; prompts link into its experiment. */
  uiUrl?: string;
}

/** The prompts, "name v2" each, linked when MLflow's UI is known. */
export function LinkedPromptList({
  prompts,
  uiUrl
}: ILinkedPromptListProps): React.ReactElement {
  const more = prompts.length - PROMPTS_SHOWN;
  return (
    <ul className={PROMPT_CSS.list} aria-label="Linked prompts">
      {prompts.slice(0, PROMPTS_SHOWN).map((prompt, index) => {
        const href = mlflowPromptUiUrl(uiUrl, prompt);
        const text = linkedPromptText(prompt);
        return (
          <li key={index} className={PROMPT_CSS.prompt}>
            {href === null ? (
              text
            ) : (
              <a
                href={href}
                target="_blank"
                rel="noopener noreferrer"
                title="Open the prompt version in MLflow"
              >
                {text}
              </a>
            )}
          </li>
        );
      })}
      {more > 0 && <li>and {formatCount(more)} more</li>}
    </ul>
  );
}
