// How the file checks speak of a value and of a near miss.
import { describe as suite, expect, it } from '@jest/globals'
import { describe, didYouMean, show, spaced } from '../../src/engine/hints.js'

const LABELS = ['title', 'url', 'iconUrl', 'personEmails', 'urlToItemResolvers', 'dateTime']

suite('didYouMean', () => {
  it.each([
    ['titel', 'title'],
    ['TITLE', 'title'],
    ['icon', 'iconUrl'],
    ['date', 'dateTime'],
    ['email', 'personEmails'],
    ['resolvers', 'urlToItemResolvers']
  ])('hints %s for %s', (word, hint) => {
    expect(didYouMean(word, LABELS)).toBe(`did you mean '${hint}'?`)
  })

  it.each(['colour', 'ab', 'xyz', 'url'.repeat(14)])('hints nothing for %s', word => {
    expect(didYouMean(word, LABELS)).toBe('')
  })

  it('hints the nearest candidate wherever it is listed, and the first of two as near', () => {
    expect(didYouMean('urll', ['personEmails', 'url'])).toBe("did you mean 'url'?")
    expect(didYouMean('dat', ['day', 'dam'])).toBe("did you mean 'day'?")
  })

  it('hints a word a candidate begins with from 3 letters, and one it holds from 5', () => {
    expect(didYouMean('ico', ['iconUrlSmall'])).toBe("did you mean 'iconUrlSmall'?")
    expect(didYouMean('ic', ['iconUrlSmall'])).toBe('')
    expect(didYouMean('ToItem', ['urlToItemResolvers'])).toBe("did you mean 'urlToItemResolvers'?")
    expect(didYouMean('Item', ['urlToItemResolvers'])).toBe('')
  })

  it('counts every letter of the word: three off is not near for eight letters', () => {
    expect(didYouMean('titlexyz', ['title'])).toBe('')
  })

  it('hints nothing without candidates, and for a word over 40 characters', () => {
    expect(didYouMean('title', [])).toBe('')
    expect(didYouMean('t'.repeat(40), ['t'.repeat(41)])).toBe(`did you mean '${'t'.repeat(41)}'?`)
    expect(didYouMean('t'.repeat(41), ['t'.repeat(41)])).toBe('')
  })
})

suite('show and describe', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [5, '5'],
    [false, 'false'],
    ['', 'an empty string'],
    ['x', "the string 'x'"],
    [[], 'an array'],
    [{}, 'an object']
  ])('describes %p as %s', (value, words) => {
    expect(describe(value, 10)).toBe(words)
  })

  it('shows a string quoted and cut, anything else by its kind', () => {
    expect(show('abcdefghijkl', 5)).toBe("'abcde… [7 more characters cut]'")
    expect(show(7, 5)).toBe('7')
  })

  it('puts a space before a hint, and nothing for none', () => {
    expect(spaced('did you mean x?')).toBe(' did you mean x?')
    expect(spaced('')).toBe('')
  })
})
