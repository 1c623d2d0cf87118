// How every command's help shows option defaults: one way, commander's own `(default: x)`. A
// default that is a value is given to commander as the value; one that is not a value (all cores,
// the policy's breach_store, table on a terminal) as `new Option(...).default(undefined, 'text')`,
// which commander parses as no default and this helper shows the same way.
import { Help, type Option } from 'commander';

export function optionDescription(this: Help, option: Option): string {
  // A repeatable option starts from []: that is "none given", not a default worth showing.
  const none = Array.isArray(option.defaultValue) && option.defaultValue.length === 0 && !option.defaultValueDescription;
  const shown = none ? Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, { defaultValue: undefined }) : option;
  const base = Help.prototype.optionDescription.call(this, shown);
  if (option.defaultValue !== undefined || !option.defaultValueDescription) return base;
  const extra = `default: ${option.defaultValueDescription}`;
  return base !== option.description && base.endsWith(')') ? `${base.slice(0, -1)}, ${extra})` : `${base} (${extra})`;
}
