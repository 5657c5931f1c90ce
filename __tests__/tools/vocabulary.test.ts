// The vocabulary in src/ is what the vendored Graph metadata says, per API
// version: derived by scripts/vocabulary.js, never typed by hand.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { VOCABULARY_FILE, renderVocabulary } from '../../scripts/vocabulary.js'
import { VOCABULARY } from '../../src/engine/vocabulary.js'

describe('src/engine/vocabulary.ts', () => {
  it('is exactly what scripts/vocabulary.js derives from vendor/msgraph-metadata/', async () => {
    expect(readFileSync(VOCABULARY_FILE, 'utf8')).toBe(await renderVocabulary())
  })

  it('holds the v1.0 labels, the evolvable ones among them, and no sentinel', () => {
    const labels: readonly string[] = VOCABULARY['v1.0'].enums.label
    // The metadata lists 55 members: these 54 and the sentinel.
    expect(labels).toHaveLength(54)
    expect(labels.slice(0, 3)).toEqual(['title', 'url', 'createdBy'])
    expect(labels).toEqual(
      expect.arrayContaining(['personAccount', 'assignedToPeople', 'numberOfReactions'])
    )
    expect(labels).not.toContain('unknownFutureValue')
    expect(labels).not.toContain('assignedTo')
  })

  it('tells the versions apart: principal types in both, exact match and ranking in beta only', () => {
    expect(VOCABULARY['v1.0'].enums.propertyType).toEqual(
      expect.arrayContaining(['principal', 'principalCollection'])
    )
    expect(VOCABULARY['v1.0'].types.property).not.toContain('isExactMatchRequired')
    expect(VOCABULARY.beta.types.property).toEqual(
      expect.arrayContaining(['isExactMatchRequired', 'rankingHint', 'description'])
    )
    expect(VOCABULARY.beta.enums.importanceScore).toEqual(['high', 'low', 'medium', 'veryHigh'])
    expect(VOCABULARY.beta.types.externalConnection).toContain('enabledContentExperiences')
  })
})
