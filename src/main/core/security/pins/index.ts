// Pinned tool definitions: what a person approved of each server's tools, and signs of
// instructions hidden in them.
export { ToolPins } from './tool-pins';
export type { Approver, ToolPinsOptions } from './tool-pins';
export { scanToolDefinition } from './scan-tool-definition';
export { definitionHash, pinnedDefinition } from './tool-definition';
export { PinNotFoundError, ToolWithheldError } from './pin-errors';
export { PINS_FILE } from './lib/pin-file';
