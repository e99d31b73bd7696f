// A fixture for check-jsdoc.mjs: four public names lack JSDoc, the rest have it.

/** Documented. */
export declare class Widget {
  /** Documented. */
  constructor(options?: WidgetOptions);
  color: string;
  spin(): void;
  /** Documented. */
  stop(): void;
  private secret;
  #hidden: number;
}

/** Documented. */
export interface WidgetOptions {
  size?: number;
  /** Documented. */
  name?: string;
}

export type Undocumented = string;

/** Documented. */
export declare const VERSION: string;
