#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps Wharf's layers honest.

1. No upward #include: src/aws < src/ecr < src/sandbox < src/ui < src/*.c (the app). A file
   may include the headers of its own layer and of the layers below it, never above.
2. No link-level cycle between two .c files of one layer. From the symbols of the built
   objects (`nm`), file X depends on file Y when X uses (U) a symbol that Y defines
   (T/D/B/R); a strongly connected component of more than one file is a cycle. In
   src/sandbox the handlers call back into the context object, wharf-sandbox.c: that is its
   API, so edges into wharf-sandbox.c are dropped before looking for cycles.

Usage: check-layers.py SOURCE_ROOT [LIBRARY...]
The libraries are the layers' static libraries (libwharf-<layer>.a); without them they are
looked up under $WHARF_BUILD_ROOT/src/<layer>/. Prints every problem, with the symbols that
make each edge of a cycle, and exits 1 if there is any.
"""
import collections
import os
import pathlib
import re
import subprocess
import sys

LAYERS = ['aws', 'ecr', 'sandbox', 'ui', 'app']
# Edges into these objects are a layer's API, not a tangle (see the docstring).
API_OBJECTS = {'sandbox': {'wharf-sandbox.c'}}
DEFINED = set('TDBRVW')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def layer_of(root, path):
    rel = path.relative_to(root / 'src')
    return rel.parts[0] if len(rel.parts) > 1 else 'app'


def check_includes(root, build_root):
    """Returns the upward includes as printable lines."""
    owner = {}
    for path in (root / 'src').rglob('*.h'):
        owner.setdefault(path.name, layer_of(root, path))
    if build_root and (build_root / 'src').is_dir():
        # Generated headers (enums, resources) belong to the layer that generates them.
        for path in (build_root / 'src').rglob('*.h'):
            owner.setdefault(path.name, layer_of(build_root, path))

    problems = []
    for path in sorted((root / 'src').rglob('*')):
        if path.suffix not in ('.c', '.h'):
            continue
        here = layer_of(root, path)
        text = path.read_text(encoding='utf-8')
        for match in INCLUDE.finditer(text):
            name = match.group(1)
            there = owner.get(pathlib.PurePath(name).name)
            if there is None or LAYERS.index(there) <= LAYERS.index(here):
                continue
            line = text.count('\n', 0, match.start()) + 1
            problems.append(f'{path.relative_to(root)}:{line}: {here} includes "{name}" '
                            f'of the higher layer {there}')
    return problems


def object_name(member):
    """'…/libwharf-aws.a.p/wharf-sts.c.o' → 'wharf-sts.c'."""
    name = pathlib.PurePath(member).name
    if name.endswith('.o'):
        name = name[:-2]
    if name.startswith('meson-generated_'):
        name = name[len('meson-generated_'):].replace('.._', '')
    return name


def read_symbols(library):
    """Returns {object: (defined symbols, undefined symbols)} of a static library."""
    out = subprocess.run(['nm', '-A', '--format=posix', str(library)], check=True,
                         capture_output=True, text=True).stdout
    objects = collections.defaultdict(lambda: (set(), set()))
    for line in out.splitlines():
        # lib.a[member.o]: symbol TYPE [value size]
        head, _, rest = line.partition(']: ')
        if not rest or '[' not in head:
            continue
        fields = rest.split()
        if len(fields) < 2:
            continue
        obj = object_name(head.partition('[')[2])
        symbol, kind = fields[0], fields[1]
        if kind == 'U':
            objects[obj][1].add(symbol)
        elif kind in DEFINED:
            objects[obj][0].add(symbol)
    return objects


def strongly_connected(nodes, edges):
    """Tarjan's algorithm, iteratively; returns the components."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
    return result


def check_cycles(layer, library):
    """Returns the cycles of one layer's library as printable lines."""
    objects = read_symbols(library)
    definer = {}
    for obj, (defined, _) in objects.items():
        for symbol in defined:
            definer.setdefault(symbol, obj)

    edges = collections.defaultdict(dict)
    for obj, (_, undefined) in objects.items():
        for symbol in undefined:
            target = definer.get(symbol)
            if target is None or target == obj or target in API_OBJECTS.get(layer, ()):
                continue
            edges[obj].setdefault(target, set()).add(symbol)

    problems = []
    for component in strongly_connected(objects.keys(), edges):
        if len(component) < 2:
            continue
        members = set(component)
        problems.append(f'{layer}: cycle between {", ".join(component)}')
        for source in component:
            for target in sorted(edges[source]):
                if target in members:
                    symbols = ', '.join(sorted(edges[source][target]))
                    problems.append(f'  {source} -> {target}: {symbols}')
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1]).resolve()
    build_root = os.environ.get('WHARF_BUILD_ROOT')
    build_root = pathlib.Path(build_root) if build_root else None

    libraries = {}
    for arg in sys.argv[2:]:
        match = re.fullmatch(r'libwharf-(\w+)\.a', pathlib.Path(arg).name)
        if not match or match.group(1) not in LAYERS:
            print(f'not a layer library: {arg}', file=sys.stderr)
            return 2
        libraries[match.group(1)] = pathlib.Path(arg)
    if not libraries and build_root:
        for layer in LAYERS[:-1]:
            libraries[layer] = build_root / 'src' / layer / f'libwharf-{layer}.a'
    if not libraries:
        print('no libraries given and WHARF_BUILD_ROOT is not set', file=sys.stderr)
        return 2

    missing = [str(path) for path in libraries.values() if not path.is_file()]
    if missing:
        print(f'not built: {", ".join(missing)}', file=sys.stderr)
        return 2

    problems = check_includes(root, build_root)
    if problems:
        print('Upward includes (a lower layer may not include a higher one\'s header):')
        print('\n'.join(problems))
    cycles = []
    for layer in LAYERS:
        if layer in libraries:
            cycles += check_cycles(layer, libraries[layer])
    if cycles:
        print('Link-level cycles between the files of one layer '
              '(each edge: file -> file it calls: the symbols it uses):')
        print('\n'.join(cycles))
    if problems or cycles:
        return 1
    print(f'layers: no upward include, no cycle in {", ".join(libraries)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
