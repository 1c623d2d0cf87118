# Runs a command on a new pseudo-terminal (its stdin, stdout and stderr), waits for a prompt, types
# a line, and prints everything the terminal showed as JSON: {"screen": ..., "status": N}.
# usage: at-terminal.py PROMPT TYPED CMD... (TYPED is sent as keys; "\r" is Enter)
# If the prompt never comes (the command does not ask), the keys are typed anyway, then Ctrl-D, so
# the command still ends and the test sees what the terminal showed (e.g. the password echoed).
import json, os, pty, select, sys

prompt, typed, cmd = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

screen = b''
def read_some(wait):
    global screen
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the command closed the terminal
        return None
    if not chunk:
        return None
    screen += chunk
    return True

# Wait for the prompt (up to ~20 s of silence: a bound against hanging, not a timing assertion).
while prompt not in screen:
    r = read_some(20)
    if r is None or r is False:
        break
os.write(fd, typed)
if prompt not in screen:
    os.write(fd, b'\r\x04')
while read_some(60) is True:
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({'screen': screen.decode('utf-8', 'replace'), 'status': os.waitstatus_to_exitcode(status)}))
