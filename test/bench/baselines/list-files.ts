// The files a baseline reads: each argument is a file or a folder (the fleet), folders in name order.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function listFiles(args: string[]): string[] {
  return args.flatMap((arg) =>
    statSync(arg).isDirectory()
      ? readdirSync(arg).sort().map((name) => path.join(arg, name)).filter((f) => statSync(f).isFile())
      : [arg],
  );
}
