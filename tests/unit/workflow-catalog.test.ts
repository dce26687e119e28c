import { describe, expect, it } from 'vitest';
import { stepResolver, workflowTypes } from '../../src/api/services/runs/workflow-catalog';

describe('workflow catalog', () => {
  it('names the steps of a run by its activity types, including steps only older runs still take', () => {
    const meal = stepResolver('mealAnalysis');
    expect(meal('closeMeal')).toBe('close');
    expect(meal('loadMeal')).toBe('load');
    // Runs started before patch meal-event-in-close still run publish before close.
    expect(meal('publishMealEvent')).toBe('publish');
    expect(meal('somethingElse')).toBe('somethingElse');
  });

  it('lists only the current steps: mealAnalysis queues its event in close, with no publish step', () => {
    const meal = workflowTypes().find((t) => t.type === 'mealAnalysis')!;
    expect(meal.steps.map((s) => s.name)).toEqual([
      'load',
      'preprocess',
      'recognize',
      'estimate',
      'feedback',
      'record',
      'close',
    ]);
    expect(meal.steps.find((s) => s.name === 'close')!.reason).toMatch(/event/);
  });
});
