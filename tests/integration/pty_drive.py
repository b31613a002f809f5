#!/usr/bin/env python3
"""Drive an interactive command through a real pseudo-terminal, as a person
at a keyboard would: wait for each prompt, type the answer.

    pty_drive.py STEPS_JSON -- COMMAND ARGS...

STEPS_JSON is a list of [regex, keys]: wait until the screen output (ANSI
sequences stripped) matches regex since the last step, then send keys.
Prints the whole transcript on stdout and exits with the command's exit code
(or 124 if a prompt never came within 20 s, or the command did not finish
within 120 s of the last answer). With PTY_DRIVE_RAW=1 the transcript keeps
its ANSI sequences (for tests of colour); with PTY_DRIVE_LOG=FILE the raw
output is also appended to FILE as it arrives (for tests that act on it).
"""
import json, os, pty, re, select, sys, time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")

def main():
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    transcript = b""
    seen = b""

    def pump(timeout):
        nonlocal transcript, seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        transcript += data
        if os.environ.get("PTY_DRIVE_LOG"):
            with open(os.environ["PTY_DRIVE_LOG"], "ab") as log:
                log.write(data)
        seen += ANSI.sub(b"", data)
        return True

    for pattern, keys in steps:
        deadline = time.time() + 20
        while not re.search(pattern.encode(), seen):
            if time.time() > deadline or not pump(0.2) and not re.search(pattern.encode(), seen):
                if time.time() > deadline:
                    sys.stdout.write(ANSI.sub(b"", transcript).decode(errors="replace"))
                    sys.stderr.write(f"pty_drive: prompt {pattern!r} never came\n")
                    os.kill(pid, 9)
                    sys.exit(124)
        seen = b""
        time.sleep(0.15)
        os.write(fd, keys.encode())
    # After the last answer the command must finish: bounded, so a hung
    # plugin fails its test instead of hanging the run.
    deadline = time.time() + 120
    while pump(1.0):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            while pump(0.2):
                if not select.select([fd], [], [], 0)[0]:
                    break
            break
        if time.time() > deadline:
            sys.stdout.write(ANSI.sub(b"", transcript).decode(errors="replace"))
            sys.stderr.write("pty_drive: the command did not finish within 120 s of the last answer\n")
            os.kill(pid, 9)
            sys.exit(124)
    else:
        _, status = os.waitpid(pid, 0)
    shown = transcript if os.environ.get("PTY_DRIVE_RAW") == "1" else ANSI.sub(b"", transcript)
    sys.stdout.write(shown.decode(errors="replace"))
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)

if __name__ == "__main__":
    main()
