/** Localized messages of the input problems found by `views/model/validation.ts`. */
import * as vscode from 'vscode';
import type { InputProblem } from '../views/model/validation';

/** Returns the message of an input problem; `example` is a valid value of the field, for number problems. */
export function inputProblemMessage(problem: InputProblem | undefined, field: string, example = '4'): string | undefined {
  if (problem === undefined) {
    return undefined;
  }
  switch (problem.code) {
    case 'required':
      return vscode.l10n.t('Enter a {0}.', field);
    case 'tooLong':
      return vscode.l10n.t('The {0} is too long: use at most {1} characters.', field, problem.max);
    case 'notWholeNumber':
      return vscode.l10n.t('The {0} must be a whole number, e.g. {1}.', field, example);
    case 'outOfRange':
      return vscode.l10n.t('The {0} must be from {1} to {2}.', field, problem.min, problem.max);
    case 'autoTerminationRange':
      return vscode.l10n.t('Use 0 to never terminate, or from 10 to 10000 minutes.');
    case 'invalidNodeType':
      return vscode.l10n.t('Invalid node type: use letters, digits, dots, dashes or underscores, e.g. m5.xlarge.');
    case 'folderNotAbsolute':
      return vscode.l10n.t('The folder must start with /, e.g. /Shared.');
    case 'folderHasEmptyOrDotSegment':
      return vscode.l10n.t('The folder must not contain //, /./ or /../.');
    case 'nameHasSlash':
      return vscode.l10n.t('The name must not contain /. Put the folder in the previous step.');
    case 'nameIsDot':
      return vscode.l10n.t('The name cannot be . or ..');
    case 'hasControlCharacter':
      return vscode.l10n.t('The {0} must not contain tabs, line breaks or other control characters.', field);
  }
}
