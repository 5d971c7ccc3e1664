/** Types of bench/chatpayloads.cjs, for the scale tests. */

/** A shape of chat payload: its name and the payload of `n` items. */
export interface IChatShape {
  name: string;
  payload(n: number): Record<string, unknown>;
}

/** The shapes whose reading was quadratic. */
export const CHAT_SHAPES: IChatShape[];
