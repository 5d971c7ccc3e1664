/**
 * The one check a form's value goes through before anything is sent:
 * read as the chosen type, then the name's kind (valueKindProblem).
 */
import { checkedValue } from '../../src/view/assessments/valueInput';
import { parseAssessments } from '../../src/trace';
import { RECORDED_ASSESSMENTS } from './assessments-fixtures';

const { items } = parseAssessments(RECORDED_ASSESSMENTS);

describe('checkedValue', () => {
  it('gives the value read as its type when the name takes it', () => {
    expect(
      checkedValue('boolean', 'false', items, 'correct', 'feedback')
    ).toEqual({
      value: false
    });
    expect(
      checkedValue('number', ' 2 ', items, 'new_name', 'feedback')
    ).toEqual({
      value: 2
    });
  });

  it('says why a text is not of its type', () => {
    expect(checkedValue('number', 'two', items, 'score', 'feedback')).toEqual({
      problem: '"two" is not a number.'
    });
  });

  it('refuses another kind than the name has, as valueKindProblem says', () => {
    const found = checkedValue('string', 'yes', items, 'correct', 'feedback');
    expect('problem' in found && found.problem).toMatch(/correct/);
  });
});
