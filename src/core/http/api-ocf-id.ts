import { ApiProperty } from '@nestjs/swagger';

/** The `ocf_id` every object an OCF import can create shows (`what`: which OCF id it is). */
export const ApiOcfId = (what = 'id'): PropertyDecorator =>
  ApiProperty({
    nullable: true,
    type: String,
    description: `The OCF ${what} it came in with (an OCF import); null for what was created here.`,
  });
