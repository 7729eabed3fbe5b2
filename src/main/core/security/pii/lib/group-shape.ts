// Digit-group lengths packed into one number (five bits each), so shapes compare without strings.
export function shapeOf(...lengths: number[]): number {
  return lengths.reduce((code, length) => code * 32 + length, 0);
}
