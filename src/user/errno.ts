/** Linux errno values (asm-generic, as on PowerPC) and mapping from Node's host error codes. */

export const E = {
  PERM: 1, NOENT: 2, SRCH: 3, INTR: 4, IO: 5, NXIO: 6, TOOBIG: 7, NOEXEC: 8, BADF: 9, CHILD: 10,
  AGAIN: 11, NOMEM: 12, ACCES: 13, FAULT: 14, BUSY: 16, EXIST: 17, XDEV: 18, NODEV: 19,
  NOTDIR: 20, ISDIR: 21, INVAL: 22, NFILE: 23, MFILE: 24, NOTTY: 25, FBIG: 27, NOSPC: 28,
  SPIPE: 29, ROFS: 30, MLINK: 31, PIPE: 32, DOM: 33, RANGE: 34, NAMETOOLONG: 36, NOSYS: 38,
  NOTEMPTY: 39, LOOP: 40, OVERFLOW: 75, TIMEDOUT: 110,
} as const;

const MESSAGES: Record<number, string> = {
  1: "Operation not permitted", 2: "No such file or directory", 3: "No such process",
  4: "Interrupted system call", 5: "Input/output error", 9: "Bad file descriptor", 10: "No child processes",
  11: "Resource temporarily unavailable", 12: "Cannot allocate memory", 13: "Permission denied",
  14: "Bad address", 17: "File exists", 20: "Not a directory", 21: "Is a directory", 22: "Invalid argument",
  24: "Too many open files", 25: "Inappropriate ioctl for device", 28: "No space left on device",
  29: "Illegal seek", 32: "Broken pipe", 34: "Numerical result out of range", 36: "File name too long",
  38: "Function not implemented", 39: "Directory not empty", 40: "Too many levels of symbolic links",
  110: "Connection timed out",
};

export const errnoMessage = (e: number): string => MESSAGES[e] ?? `errno ${e}`;

/** A host fs error → Linux errno (EIO when unknown). */
export function hostErrno(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code && code.startsWith("E")) {
    const v = (E as Record<string, number>)[code.slice(1)];
    if (v !== undefined) return v;
  }
  return E.IO;
}
