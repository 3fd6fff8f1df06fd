using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.UserApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class UserTimestampsAsDateTimeOffset : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
