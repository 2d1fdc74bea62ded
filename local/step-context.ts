import { AsyncLocalStorage } from 'node:async_hooks';

/** Which task state the current code runs for: lets Genesys calls be counted per step, even in Parallel. */
export const stepContext = new AsyncLocalStorage<string>();

export const currentStep = (): string | undefined => stepContext.getStore();
