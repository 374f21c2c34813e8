import { parseParam } from './params';

describe('parseParam', () => {
  it.each([
    ['n=3', ['n', 3]],
    ['ratio=0.5', ['ratio', 0.5]],
    ['flag=true', ['flag', true]],
    ['nothing=null', ['nothing', null]],
    ['obj={"a":1}', ['obj', { a: 1 }]],
    ['list=[1,2]', ['list', [1, 2]]],
    ['name=x', ['name', 'x']],
    ['day="2024"', ['day', '2024']],
    ['query=a=b', ['query', 'a=b']],
    ['broken={"a":', ['broken', '{"a":']],
    ['empty=', ['empty', '']],
  ])('%s', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it.each(['novalue', '=3'])('rejects %s: a key is needed before "="', (text) => {
    expect(() => parseParam(text)).toThrow('expected key=value');
  });
});
