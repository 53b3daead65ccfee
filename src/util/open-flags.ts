import { constants } from 'node:fs'

/**
 * Flags for opening a file a user named or a listing found, to read it: O_NOFOLLOW refuses a
 * symbolic link (one swapped in after the path was checked is not followed to whatever it
 * points at), and O_NONBLOCK keeps a FIFO from blocking the open (its fstat then tells it is
 * no regular file). Windows has no O_NOFOLLOW; there the flag is left out.
 */
export const OPEN_READ_NO_FOLLOW =
  constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0)
