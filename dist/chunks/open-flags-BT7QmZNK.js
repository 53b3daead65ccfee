import { constants } from 'node:fs';

const OPEN_READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

export { OPEN_READ_NO_FOLLOW as O };
