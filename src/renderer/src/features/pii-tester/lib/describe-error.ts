// One helper for the whole UI; kept here so this feature's imports stay as they are.
export { describeError } from '../../../common/describe-error';
