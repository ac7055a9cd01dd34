import type { Request, RequestHandler, Response } from 'express';

/**
 * Hands a failed async route to the error handler. Express 5 does this for any handler that
 * returns a promise; Express 4 does not, and there a rejected promise would stop the process.
 */
export function asyncHandler(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    handler(req, res).catch(next);
  };
}
