import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationProblem(errors: ValidationError[]): DomainError {
  const fields = flatten(errors);
  const detail = fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ');
  return new DomainError('VALIDATION_FAILED', `The request is invalid. ${detail}`, {
    errors: fields,
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
  });
}
