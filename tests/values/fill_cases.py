#!/usr/bin/env python3
"""Fills `expect ?` lines of a rendering case file with the Go oracle's answer.

Usage: fill_cases.py ORACLE FILE...   (rewrites each FILE in place)

A case whose expectation is `expect ?` gets `expect TEXT` (or `expect_json` when the text has
newlines, tabs or edge spaces) on success, `error MESSAGE` on failure. Review the result: the
oracle is the reference, the review is what makes a case worth keeping.
"""
import json
import subprocess
import sys


def parse(lines):
    """Yields (index of the `expect ?` line, template, data) for every case to fill."""
    cur = None
    i = 0
    while i < len(lines):
        l = lines[i]
        if l.startswith('case '):
            cur = {'data': '{}', 'template': None}
        elif cur is not None and l.startswith('data '):
            cur['data'] = l[5:]
        elif cur is not None and l == 'template':
            block = []
            i += 1
            while lines[i] != '----':
                block.append(lines[i])
                i += 1
            cur['template'] = '\n'.join(block)
        elif cur is not None and l.startswith('template_json '):
            cur['template'] = json.loads(l[14:])
        elif cur is not None and l.startswith('template '):
            cur['template'] = l[9:]
        elif cur is not None and l == 'expect ?':
            yield i, cur['template'], cur['data']
        i += 1


def main():
    oracle = sys.argv[1]
    for path in sys.argv[2:]:
        lines = open(path, encoding='utf-8', newline='').read().split('\n')
        todo = list(parse(lines))
        if not todo:
            continue
        # The data text goes through verbatim: numbers keep their literal text (1.50).
        inp = ''.join('{"template": ' + json.dumps(t) + ', "data": ' + d + '}\n' for _, t, d in todo)
        out = subprocess.run([oracle], input=inp, capture_output=True, text=True, check=True).stdout.splitlines()
        for (idx, _, _), line in zip(todo, out):
            ans = json.loads(line)
            if 'output' in ans:
                o = ans['output']
                if o == '' or '\n' in o or '\t' in o or '\r' in o or o != o.strip(' '):
                    lines[idx] = 'expect_json ' + json.dumps(o, ensure_ascii=False)
                else:
                    lines[idx] = 'expect ' + o
            else:
                lines[idx] = 'error ' + ans['error'].replace('\n', '\\n')
        open(path, 'w', encoding='utf-8', newline='').write('\n'.join(lines))


if __name__ == '__main__':
    main()
