// The Markdown files link to each other (README, docs/, CONTRIBUTING.md,
// SECURITY.md, CHANGELOG.md): every relative link must point at a file that
// exists and, with a #anchor, at a heading of that file, as GitHub names it.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
const FILES = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`)
]

/** The text outside fenced code blocks, each line in its place (fenced lines blanked). */
function prose(text: string): string[] {
  let fenced = false
  return text.split('\n').map(line => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return ''
    }
    return fenced ? '' : line
  })
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The anchors of a Markdown file's headings; a repeated heading gets -1, -2, … as on GitHub. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const base = slug(heading[1])
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}

interface Link {
  from: string
  line: number
  target: string
}

/** Every link target of a file: inline links and images, and reference definitions. */
function links(from: string): Link[] {
  const found: Link[] = []
  prose(readFileSync(join(ROOT, from), 'utf8')).forEach((text, index) => {
    const line = text.replace(/`[^`]*`/g, '')
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ from, line: index + 1, target: match[1] })
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line)
    if (definition) found.push({ from, line: index + 1, target: definition[1] })
  })
  return found
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target)

/** What is wrong with a relative link, or undefined when it is sound. */
function problem(link: Link): string | undefined {
  const [path, anchor] = link.target.split('#', 2) as [string, string | undefined]
  const file = path === '' ? join(ROOT, link.from) : join(ROOT, dirname(link.from), decodeURI(path))
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`
  if (anchor === undefined) return undefined
  if (!file.endsWith('.md') || statSync(file).isDirectory())
    return `an anchor on a non-Markdown file`
  if (!anchors(file).has(decodeURIComponent(anchor))) {
    return `no heading #${anchor} in ${relative(ROOT, file)}`
  }
  return undefined
}

describe('the anchors GitHub gives headings', () => {
  it.each([
    ['Setup: the app registration', 'setup-the-app-registration'],
    ['Recommended: GitHub OIDC (no stored secret)', 'recommended-github-oidc-no-stored-secret'],
    ['The `PATCH` and its retries', 'the-patch-and-its-retries'],
    ['Managed identity: not supported', 'managed-identity-not-supported'],
    ['Command-line reference', 'command-line-reference'],
    ['[Unreleased]', 'unreleased']
  ])('%s is #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor)
  })
})

describe('the relative links of the Markdown files', () => {
  const all = FILES.flatMap(links)
  const relativeLinks = all.filter(link => isRelative(link.target))

  it('are found: each file has links, the README many, some with an anchor', () => {
    expect(FILES).toContain('docs/README.md')
    expect(relativeLinks.filter(link => link.from === 'README.md').length).toBeGreaterThan(20)
    expect(relativeLinks.some(link => link.target.includes('#'))).toBe(true)
    expect(relativeLinks.some(link => link.target.startsWith('../'))).toBe(true)
  })

  it('point at a file that exists and, with an anchor, at a heading of it', () => {
    const broken = relativeLinks
      .map(link => ({ link: `${link.from}:${link.line} ${link.target}`, problem: problem(link) }))
      .filter(entry => entry.problem !== undefined)
    expect(broken).toEqual([])
  })
})
