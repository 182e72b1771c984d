/** The CLI says once on stderr which adapter runs, at a terminal; piped, stderr stays for errors (README). */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { TINY } from '../helpers/fixtures.ts';

async function embed(isTTY: boolean): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(['embed', '--model', TINY, '--text', 'a dog', '--json'], {
    stdout: { write: () => {} },
    stderr: { write: (s: string) => (stderr += s), isTTY },
  });
  return { code, stderr };
}

describe('adapter announcement', () => {
  it('once on a terminal, not when stderr is piped', async () => {
    const tty = await embed(true);
    expect(tty.code).toBe(0);
    expect(tty.stderr.match(/clip-webgpu: adapter/g)).toHaveLength(1);
    // On a line of its own: the progress line before it is cleared first.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence is what is checked
    expect(tty.stderr).toMatch(/\r\x1b\[Kclip-webgpu: adapter .+ \[dawn[-\w]*(, CPU emulation: slow)?\]\n/);
    const piped = await embed(false);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });
});
