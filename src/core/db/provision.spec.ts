import { privilegeProblem } from './provision';

const plain = { superuser: false, bypass_rls: false, owns_objects: false, create_on_schema: false };

describe('privilegeProblem', () => {
  it('accepts a plain role', () => {
    expect(privilegeProblem(plain)).toBeUndefined();
  });

  it.each([
    [{ ...plain, superuser: true }, 'is a superuser'],
    [{ ...plain, bypass_rls: true }, 'may bypass row-level security'],
    [{ ...plain, owns_objects: true }, 'owns tables of the schema'],
    [{ ...plain, create_on_schema: true }, 'may create objects in the schema'],
    [undefined, 'does not exist'],
  ])('names what makes %j unfit', (row, problem) => {
    expect(privilegeProblem(row)).toBe(problem);
  });
});
