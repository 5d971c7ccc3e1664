/**
 * The keys of review mode and what each does. Pure: the lab's review model
 * performs the actions, the review bar reads the keys off the keyboard.
 */

/** What a key does while reviewing. */
export type ReviewAction =
  'next' | 'previous' | 'thumbsUp' | 'thumbsDown' | 'rationale' | 'exit';

/** The keys of the plan: `j`/`k` move, `u`/`d` thumbs, `r` rationale, `Escape` leaves. */
export const REVIEW_KEYS: Readonly<Record<string, ReviewAction>> = {
  j: 'next',
  k: 'previous',
  u: 'thumbsUp',
  d: 'thumbsDown',
  r: 'rationale',
  Escape: 'exit'
};

/** The shortcut help shown in the review bar. */
export const REVIEW_KEYS_HELP =
  'j next · k previous · u thumbs up · d thumbs down · r rationale · Esc exit';

/** A keydown as far as review mode cares. */
export interface IReviewKeyEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

/**
 * The action of a keydown, or undefined: not a review key, a key with a
 * modifier, or a key typed into a text field (there `Escape` still leaves the
 * field, not the review: the field's own handler blurs it).
 */
export function reviewKeyAction(
  event: IReviewKeyEvent
): ReviewAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return undefined;
  }
  if (isTypingTarget(event.target)) {
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(REVIEW_KEYS, event.key)
    ? REVIEW_KEYS[event.key]
    : undefined;
}

/** True for a text field, a select or an editable element: keys there are text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element || typeof element.tagName !== 'string') {
    return false;
  }
  const tag = element.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') {
    return true;
  }
  if (tag === 'INPUT') {
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
  }
  return element.isContentEditable === true;
}
