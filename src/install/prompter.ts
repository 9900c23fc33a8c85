/**
 * What the guided flows need from whoever asks the questions. The terminal implementation lives in
 * `screens/`; unattended runs have no prompter at all, and the flows turn a missing answer into an
 * error naming the flag or answers-file key instead.
 */
export interface Prompter {
  /** `help` on every kind of question: what the question is for and what it accepts, shown with it. */
  confirm(question: { message: string; help?: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(question: {
    message: string;
    help?: string;
    choices: ReadonlyArray<{ value: T; name?: string; description?: string }>;
    default?: T;
  }): Promise<T>;
  /**
   * `validate` runs on every submit; a string is the message shown under the prompt. `verify` runs
   * after it passes and may ask AWS (is the deployment name free?); its string is shown the same way.
   */
  input(question: {
    message: string;
    default?: string;
    help?: string;
    validate: (value: string) => string | true;
    verify?: (value: string) => Promise<string | true>;
    /** Esc cancels like Ctrl+C (a confirmation to type, where Esc is the expected way out). */
    escapeCancels?: boolean;
    /**
     * A refused answer is taken out of the field, so the next try is typed whole (a name typed to
     * confirm a destroy: kept, "gel" then "geo" read "gelgeo", trial finding 64). Otherwise it stays
     * there to be corrected.
     */
    clearRefused?: boolean;
  }): Promise<string>;
  /** A heading between groups of questions ("Security"). */
  section(title: string): void;
  /** Typed masked; the value is never echoed or kept. */
  password(question: {
    message: string;
    help?: string;
    validate: (value: string) => string | true;
  }): Promise<string>;
}

/**
 * A question with fixed answers asked while a task list runs (destroy's DELETE_FAILED), by whoever owns
 * the terminal then (the live view); `cancelValue` is what Esc and Ctrl+C answer.
 */
export type Chooser = <T extends string>(
  message: string,
  choices: Array<{ value: T; label: string }>,
  cancelValue: T,
) => Promise<T>;
