// zod/mini, with English messages, as one curated `z`: the tree-shakable build of zod keeps every
// Netlify function bundle small (classic zod alone is about 730 KiB per function; see
// scripts/function-sizes.mjs). Only the functions named here reach a bundle — a namespace import
// re-exported whole would pull in all of zod, its 40 locales included. zod/mini loads no locale
// by default (its messages would read "Invalid input"): English is set here, once.
import {
  array,
  boolean,
  coerce,
  config,
  discriminatedUnion,
  enum as zenum,
  extend,
  int,
  literal,
  maximum,
  maxLength,
  minimum,
  nullable,
  number,
  object,
  optional,
  record,
  refine,
  strictObject,
  string,
  union,
  unknown,
  type infer as zinfer,
  type ZodMiniType,
} from 'zod/mini';
import type { $ZodError } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

config(en());

export const z = {
  array,
  boolean,
  coerce,
  discriminatedUnion,
  enum: zenum,
  extend,
  int,
  literal,
  maximum,
  maxLength,
  minimum,
  nullable,
  number,
  object,
  optional,
  record,
  refine,
  strictObject,
  string,
  union,
  unknown,
};

// eslint-disable-next-line @typescript-eslint/no-namespace -- types only, merged with the value above
export declare namespace z {
  type infer<T> = zinfer<T>;
  type ZodType = ZodMiniType;
  type ZodError = $ZodError;
}
